"""The operator console: server-rendered pages on the public host over the same services as
the operator API (tenants.platform_schools, tenants.operators, operators.invitations)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from operators import invitations
from tenants import platform_schools
from tenants.models import Operator, School
from tenants.operators import (
    SignInRefusedError,
    operator_from_session,
    operator_sign_in,
    operator_sign_out,
)

View = Callable[..., HttpResponseBase]


def operator_required(view: Callable[..., HttpResponseBase]) -> View:
    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        operator = operator_from_session(request)
        if operator is None:
            return redirect("console-sign-in")
        return view(request, operator, *args, **kwargs)

    return wrapper


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SchoolForm(forms.Form):
    name = forms.CharField(label="School name", max_length=200)
    subdomain = forms.CharField(
        label="Subdomain",
        max_length=63,
        help_text="Lowercase letters, digits and hyphens; the school's address.",
    )
    urn = forms.CharField(label="URN", max_length=6, help_text="6-digit Unique Reference Number.")
    dsl_email = forms.EmailField(label="First DSL's e-mail", help_text="They are invited.")


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)


class ArchiveForm(forms.Form):
    confirm_subdomain = forms.CharField(
        label="Type the subdomain to confirm", max_length=63, required=True
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"email": ""}
    if request.method == "POST":
        context["email"] = request.POST.get("email", "")
        try:
            operator_sign_in(
                request=request,
                email=request.POST.get("email", ""),
                password=request.POST.get("password", ""),
                code=request.POST.get("code", ""),
            )
        except SignInRefusedError:
            context["error"] = SignInRefusedError.message
        else:
            return redirect("console")
    return render(request, "tenants/console/sign_in.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    operator_sign_out(request=request, operator=operator_from_session(request))
    return redirect("console-sign-in")


@operator_required
def schools(request: HttpRequest, operator: Operator) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "tenants/console/schools.html",
        {
            "operator": operator,
            "query": query,
            "schools": platform_schools.school_summaries(search=query or None, limit=200),
            "base_domain": settings.BASE_DOMAIN,
        },
    )


def _form_page(
    request: HttpRequest, operator: Operator, form: forms.Form, **context: Any
) -> HttpResponse:
    return render(
        request, "tenants/console/form.html", {"operator": operator, "form": form, **context}
    )


@operator_required
@require_http_methods(["GET", "POST"])
def school_new(request: HttpRequest, operator: Operator) -> HttpResponseBase:
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = invitations.school_onboard(
                operator=operator, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{school.name} is ready; its DSL has been invited.")
            return redirect("console")
    return _form_page(
        request, operator, form, heading="Onboard a new school", submit="Create school"
    )


@operator_required
@require_POST
def school_status(request: HttpRequest, operator: Operator, subdomain: str) -> HttpResponseBase:
    status = School.Status(request.POST.get("status", School.Status.SUSPENDED))
    try:
        school = platform_schools.school_status_set(
            operator=operator, request=request, subdomain=subdomain, status=status, reason=""
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{school.name} is now {school.status}.")
    return redirect("console")


@operator_required
@require_http_methods(["GET", "POST"])
def school_invite(request: HttpRequest, operator: Operator, subdomain: str) -> HttpResponseBase:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.school_admin_invite(
                operator=operator, request=request, subdomain=subdomain, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"An invitation was sent to {form.cleaned_data['email']}.")
            return redirect("console")
    return _form_page(
        request,
        operator,
        form,
        heading=f"Invite an admin to {subdomain}",
        intro=(
            "They become a school admin without key access and receive a set-password link; "
            "the school's admins are told by e-mail. Key access is given inside the school by "
            "its own key holders. An address that already has an account at the school cannot "
            "be invited: its own admins manage it."
        ),
        submit="Send invitation",
    )


@operator_required
@require_http_methods(["GET", "POST"])
def school_archive(request: HttpRequest, operator: Operator, subdomain: str) -> HttpResponseBase:
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = platform_schools.school_archive(
                operator=operator,
                request=request,
                subdomain=subdomain,
                confirm_subdomain=form.cleaned_data["confirm_subdomain"],
            )
        except ValidationError as error:
            _apply_errors(form, ValidationError(error.messages))
        else:
            messages.success(request, f"{subdomain} was archived to {key} and removed.")
            return redirect("console")
    return _form_page(
        request,
        operator,
        form,
        heading=f"Archive {subdomain}",
        intro=(
            "The school's data and files are exported to the platform archive, then the school "
            "is removed from service. It can be restored with import_school."
        ),
        submit="Archive and remove",
    )


urlpatterns = [
    path("console/", schools, name="console"),
    path("console/sign-in", sign_in, name="console-sign-in"),
    path("console/sign-out", sign_out, name="console-sign-out"),
    path("console/schools/new", school_new, name="console-school-new"),
    path("console/schools/<str:subdomain>/status", school_status, name="console-school-status"),
    path("console/schools/<str:subdomain>/invite", school_invite, name="console-school-invite"),
    path("console/schools/<str:subdomain>/archive", school_archive, name="console-school-archive"),
]
