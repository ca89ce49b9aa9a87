from django.apps import AppConfig


class SummitConfig(AppConfig):
    name = "summit"
    verbose_name = "Summit"

    def ready(self):
        from summit import pagecache  # noqa: F401  (hooks every database connection)
        from summit.services import counters  # noqa: F401  (connects its signals)
