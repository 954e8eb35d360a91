import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petitspas.settings")
application = get_wsgi_application()

# Read once when the server's process starts (before its workers fork, with gunicorn's
# ``--preload``), not during a visitor's first "près de" search.
from petitspas.directory.towns import load  # noqa: E402 - needs the settings loaded above

load()
