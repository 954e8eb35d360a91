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

        from petitspas.childcare.hooks import provide_month_usage
        from petitspas.childcare.selectors_bookings import month_usage

        # The prescriber's page and the API read the half-days booked and used this month.
        provide_month_usage(month_usage)

        from petitspas.childcare.permissions import RECEIVES_REFERRALS, receives_referrals
        from petitspas.core.scoping import provide_membership_fact

        # The menu shows "Orientations" where the organisation receives referrals: read
        # with the memberships, once per request.
        provide_membership_fact(RECEIVES_REFERRALS, receives_referrals)
