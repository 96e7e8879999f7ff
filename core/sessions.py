"""Headers and sessions of the portal, the admin and the API (no app imports).

:class:`SecurityHeaders`: ``Permissions-Policy`` on every answer (no camera, microphone,
location, payment, USB, ...) and ``Cache-Control: private, no-store`` on the API's answers to a
signed-in person or a token, so no shared cache or browser history keeps a member's data.

:class:`StaffIdleTimeout`: a staff session ends after ``STAFF_SESSION_IDLE_MINUTES`` without a
request (members keep ``SESSION_COOKIE_AGE``). The last request's time is kept in the session,
written at most once a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)

#: The session key holding the time (seconds since the epoch) of the last request.
LAST_SEEN_KEY = "_last_seen"


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith("/api/") and self._authenticated(request):
            response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _authenticated(request: HttpRequest) -> bool:
        # DRF sets the token's principal on the Django request too; a refused token (401)
        # still carried credentials.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        return "HTTP_AUTHORIZATION" in request.META


def stamp_login(
    sender: object, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    """``user_logged_in``: a staff session's clock starts at the login (so the first page after
    it writes no session)."""
    if request is not None and getattr(user, "is_staff", False) and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = time.time()
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)


class StaffIdleTimeout:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int | float) and now - last_seen > idle:
                logout(request)  # a new, empty session: the next page asks to log in
            else:
                if not isinstance(last_seen, int | float) or now - last_seen >= 60:
                    request.session[LAST_SEEN_KEY] = now
                    # The cookie and the stored session go too if the browser stays away.
                    request.session.set_expiry(idle)
        return self.get_response(request)
