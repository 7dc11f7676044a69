"""URLs of a school host (<school>.<base>)."""

from django.urls import path, re_path

from graphql_api.attachments import attachment_download
from graphql_api.views import graphql_view
from tenants import views

urlpatterns = [
    path("graphql", graphql_view(), name="graphql"),
    path(
        "attachments/<str:attachment_id>/download",
        attachment_download,
        name="attachment-download",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", views.school_home, name="home"),
    # The e-mailed set-password link opens the app, which reads the token from the path.
    re_path(r"^set-password/[^/]+/[^/]+\Z", views.school_home, name="set-password"),
]
