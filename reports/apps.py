from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports.counting import register_median

        connection_created.connect(register_median, dispatch_uid="reports.register_median")
