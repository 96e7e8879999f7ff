"""URLs: the portal at the root, accounts, the admin, API v1 and its schema and docs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from chambers import views as chamber_views
from chambers.api import urls as chambers_api
from chambers.mfa_forms import SecondFactorSetPasswordForm
from config import health
from core.api import api_router
from indicators.api import urls as indicators_api
from meetings.api import urls as meetings_api
from rotation.api import urls as rotation_api

# API v1: one router, so /api/v1/ lists every app's resources.
api_v1 = api_router(
    chambers_api.ROUTES, meetings_api.ROUTES, rotation_api.ROUTES, indicators_api.ROUTES
)

admin.site.site_header = admin.site.site_title = _("Union secretariat")


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """``/favicon.ico``, which browsers ask for by themselves (pages link the SVG): a temporary
    redirect, since the icon's static URL carries its content's hash in production."""
    return HttpResponseRedirect(static_url("favicon.svg"))


urlpatterns = [
    path("", include("chambers.urls")),
    path("", include("meetings.urls")),
    path("", include("rotation.urls")),
    path("", include("indicators.urls")),
    path("", include("exchange.urls")),
    path("", include("reminders.urls")),
    path("", include("calendars.urls")),
    path(
        "accounts/password_reset/",
        chamber_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SecondFactorSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/mfa/", include("chambers.mfa_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", chamber_views.set_language, name="set_language"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("exchange.api_urls")),
    path("api/v1/", include(api_v1.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
