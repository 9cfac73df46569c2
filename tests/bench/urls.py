"""The product's URLs plus one trivial signed-in view, for the benchmark's floor only."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as product
from tests.bench.floor import SIGNED_IN_VIEW_PATH, signed_in_view

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [path(SIGNED_IN_VIEW_PATH.lstrip("/"), signed_in_view), *product]
