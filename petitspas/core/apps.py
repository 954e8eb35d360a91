from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "petitspas.core"
    label = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from petitspas.core.middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="petitspas.session_clocks")
