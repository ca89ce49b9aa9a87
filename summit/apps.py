from django.apps import AppConfig


class SummitConfig(AppConfig):
    name = "summit"
    verbose_name = "Summit"
