"""URLs of the public host (<base>): the platform's own pages, never a school's records."""

from django.urls import path

from graphql_api.platform import platform_graphql_view
from operators import console
from tenants import health, help_pages, views

urlpatterns = [
    path("graphql", platform_graphql_view(), name="platform-graphql"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", views.platform_home, name="platform-home"),
    *console.urlpatterns,
    *help_pages.urlpatterns,
]
