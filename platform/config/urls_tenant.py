"""URLs of a school host (<school>.<base>)."""

from django.urls import path

from graphql_api.attachments import attachment_download
from graphql_api.views import graphql_view
from tenants import frontend, health, help_pages

urlpatterns = [
    path("graphql", graphql_view(), name="graphql"),
    path(
        "attachments/<str:attachment_id>/download",
        attachment_download,
        name="attachment-download",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Haven's own user guide, FAQ, cookie policy and privacy notice.
    *help_pages.urlpatterns,
    # The web app's shell on "/" and its client-side routes.
    *frontend.urlpatterns,
]
