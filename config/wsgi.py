import os

from django.core.wsgi import get_wsgi_application

from core import startup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
startup.settle()
