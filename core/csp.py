"""The Content-Security-Policy (django-csp): ``CONTENT_SECURITY_POLICY`` in settings is the
portal's strict policy (scripts and styles from our own static files only: no inline script,
no ``onchange=``). The admin and the API's browsable pages and docs need a little more:
:data:`ALLOWANCES` adds it on their paths only."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

#: Extra sources by path prefix: Django's admin and DRF's browsable API write ``style=``
#: attributes, Swagger UI styles itself inline and draws icons from ``data:`` URLs.
ALLOWANCES: dict[str, dict[str, list[str]]] = {
    "/admin/": {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]},
    "/api/": {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]},
}


class PolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        for prefix, extra in ALLOWANCES.items():
            if request.path_info.startswith(prefix) and parts.update is None:
                parts.update = extra
        return parts
