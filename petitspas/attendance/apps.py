from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "petitspas.attendance"
    label = "attendance"
