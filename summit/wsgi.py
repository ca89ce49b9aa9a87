import os

from django.core.wsgi import get_wsgi_application

from summit.env import stop_on_env_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
with stop_on_env_error():
    application = get_wsgi_application()
