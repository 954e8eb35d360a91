from django.apps import AppConfig


class ChildcareConfig(AppConfig):
    name = "petitspas.childcare"
    label = "childcare"
    verbose_name = "Accueil d'enfants sur orientation"

    def ready(self):
        from petitspas.childcare.selectors import enrolled_children
        from petitspas.core.references import register_references
        from petitspas.families.models import Person

        # An enrolled child stays in the family file: the enrolment's history rests on it.
        register_references(Person, enrolled_children)
