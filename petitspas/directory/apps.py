from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "petitspas.directory"
    label = "directory"
    verbose_name = "Annuaire des partenaires"

    def ready(self):
        from petitspas.core.scoping import provide_membership_fact
        from petitspas.directory.permissions import (
            COORDINATES_TERRITORY,
            OWNS_STRUCTURES,
            coordinates_territory,
            owns_structures,
        )

        # The menu shows "Guide parentalité" from facts read with the memberships.
        provide_membership_fact(COORDINATES_TERRITORY, coordinates_territory)
        provide_membership_fact(OWNS_STRUCTURES, owns_structures)
        # "Orienter vers un partenaire" on the family file (families is below directory).
        from petitspas.directory import hooks

        hooks.install()
