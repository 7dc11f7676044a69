"""The GraphQL view: sync (WSGI), so resolvers see the school's schema on the connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from graphql_api.api_clients import bearer_authenticate
from graphql_api.context import HavenContext, current_school
from graphql_api.csrf import cookie_csrf_rejection
from graphql_api.schema import schema

#: GraphiQL (development only: there is no IDE when DEBUG is off) is one page with inline
#: scripts and styles loaded from unpkg, which the site-wide policy rightly refuses.
_GRAPHIQL_CDN = "https://unpkg.com"
GRAPHIQL_CSP: dict[str, list[str]] = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, _GRAPHIQL_CDN],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, _GRAPHIQL_CDN],
    "font-src": [CSP.SELF, "data:", _GRAPHIQL_CDN],
}


class DevelopmentIdeMixin:
    """Lets GraphiQL's page run under its own policy; it is only served in development."""

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = super().render_graphql_ide(request)  # type: ignore[misc]
        response._csp_config = GRAPHIQL_CSP  # type: ignore[attr-defined]
        return response


REQUEST_TOO_LARGE = "request_too_large"


def request_too_large() -> JsonResponse:
    """A GraphQL-shaped refusal, which a client reads like any other error (not Django's page)."""
    return JsonResponse(
        {
            "data": None,
            "errors": [
                {"message": "The request is too large.", "extensions": {"code": REQUEST_TOO_LARGE}}
            ],
        },
        status=413,
    )


def graphql_response(dispatch: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """Run a GraphQL view's dispatch: a body over Django's limits (``DATA_UPLOAD_MAX_*``,
    raised while the body is read) is answered in JSON, and no answer is ever cached: it
    holds a person's records, and the same POST means something else a moment later."""
    try:
        response = dispatch()
    except RequestDataTooBig:
        response = request_too_large()
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(csrf_exempt, name="dispatch")
class HavenGraphQLView(DevelopmentIdeMixin, GraphQLView[HavenContext, None]):
    """The school API: cookie sessions (with CSRF) or API client tokens."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return graphql_response(lambda: self._dispatch(request, *args, **kwargs))

    def _dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Refuse an oversized upload before reading its body (WSGI reads no more than the
        # declared length, so the declaration bounds what is read).
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.GRAPHQL_MAX_REQUEST_BYTES:
            return request_too_large()
        rejected = cookie_csrf_rejection(request)
        if rejected is not None:
            return rejected
        api_client = bearer_authenticate(request)
        if isinstance(api_client, HttpResponse):
            return api_client
        request.haven_api_client = api_client  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> HavenContext:
        return HavenContext(
            request=request,
            response=response,
            school=current_school(),
            api_client=getattr(request, "haven_api_client", None),
        )


def graphql_view() -> Any:
    return HavenGraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.DEBUG else None,
        # Queries only over POST: a GET is a link anyone can plant in a page.
        allow_queries_via_get=False,
        # Safe because dispatch enforces CSRF on every request that carries cookies: a
        # cross-site multipart form post cannot ride on a session.
        multipart_uploads_enabled=True,
    )
