from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "petitspas.attendance"
    label = "attendance"

    def ready(self):
        # Answers activities' and families' questions about attendance's rows.
        from petitspas.attendance import hooks

        hooks.install()
