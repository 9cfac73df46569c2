from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports.counting import register_functions

        connection_created.connect(register_functions, dispatch_uid="reports.register_functions")
