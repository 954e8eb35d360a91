from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "petitspas.activities"
    label = "activities"

    def ready(self):
        # Answers places' question: which planned sessions a change of a site's calendar hits.
        from petitspas.activities import calendar_hooks

        calendar_hooks.install()
