"""django-otp-webauthn's passkey endpoints (JSON, called by its script), with JoinedUp's audit entries and the
recovery codes a first second factor brings."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from joinedup.accounts import services
from joinedup.accounts.models import User
from joinedup.accounts.second_factor import FRESH_RECOVERY_CODES, SECOND_FACTOR_DUE, is_person_account


class HostileBodies:
    """JSON nested too deep for the parser is a bad request (400), not a server error."""

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, RecursionError):
            return JsonResponse({"detail": "The request could not be read.", "code": "malformed_request"}, status=400)
        return super().handle_exception(exc)  # type: ignore[misc]


class BeginRegistration(HostileBodies, webauthn.BeginCredentialRegistrationView):
    pass


class BeginAuthentication(HostileBodies, webauthn.BeginCredentialAuthenticationView):
    pass


class CompleteRegistration(HostileBodies, webauthn.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        user = self.request.user
        if response.status_code == 200 and isinstance(user, User):
            if is_person_account(user):
                # A person's passkey is their own choice, not a practitioner's second factor: no recovery codes
                # (their way back in is a new link, or their key worker).
                services.person_passkey_added_recorded(actor=user)
            else:
                codes = services.passkey_registered_recorded(actor=user)
                if codes:
                    self.request.session[FRESH_RECOVERY_CODES] = codes
            self.request.session.pop(SECOND_FACTOR_DUE, None)
        return response


class CompleteAuthentication(HostileBodies, webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> Any:
        result = super().complete_auth(device)
        self.request.session.pop(SECOND_FACTOR_DUE, None)
        services.second_factor_verified_recorded(user=device.user, method="passkey")
        return result

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = getattr(self.request, "user", None)
        if isinstance(user, User):
            services.second_factor_failed_recorded(user=user)
        return super().handle_exception(exc)


urlpatterns = [
    path(
        "registration/begin",
        BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin",
        BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path("authentication/complete", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    # The words the passkey script shows (it calls gettext()).
    path("jsi18n", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
