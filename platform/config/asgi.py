"""ASGI entry point, for completeness only.

Haven is served over WSGI (gunicorn): django-tenants keeps the school's schema on the
thread's database connection, which sync resolvers run under ASGI would not see.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
