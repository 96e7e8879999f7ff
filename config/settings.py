"""Settings for the union secretariat system.

Everything that differs between a laptop and production comes from the environment
(django-environ). The defaults run on a bare machine with nothing but Python: a SQLite file and
kombu's filesystem broker inside the project's ``var/`` folder. Production secrets have no
default, and a malformed value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core import country_names

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _env_value(name: str, reader: Callable[..., Any], default: Any) -> Any:
    """Read one variable, turning a parse error into an error that names the variable."""
    try:
        return reader(name, default=default)
    except (ValueError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc


_BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
    "": False,
}


def _strict_bool(name: str, default: bool = False) -> bool:
    """A boolean that must be spelt as one: django-environ reads any unknown word as False,
    so ``DEBUG=ture`` would silently switch production behaviour."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _BOOLEANS:
        raise ValueError(f"{raw!r} is not a boolean (use true or false)")
    return _BOOLEANS[raw]


DEBUG: bool = _env_value("DEBUG", _strict_bool, False)

#: Commands that only read the code (never serve, sign or run tasks) need no secret, so that
#: `manage.py makemigrations --check` works on a bare checkout as well as in CI.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "spectacular", "help"}
_command = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else None

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-only")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY and _command in OFFLINE_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)  # throw-away: nothing is signed by these commands
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS: list[str] = _env_value(
    "ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = _env_value("CSRF_TRUSTED_ORIGINS", env.list, [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so translated fields show there.
    "modeltranslation",
    "config.apps.SecretariatAdminConfig",  # django.contrib.admin, its index grouped by use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "chambers",
    "meetings",
    "rotation",
    "indicators",
    "reminders",
    "webhooks",
    "calendars",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp), with the admin's and the API pages' allowances.
    "core.csp.PolicyMiddleware",
    # Permissions-Policy; Cache-Control: private, no-store on authenticated API answers.
    "core.sessions.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.QueryLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request.
    "core.sessions.StaffIdleTimeout",
    # The second factor (chambers/mfa.py): who has given it, then who must give or enrol it.
    "django_otp.middleware.OTPMiddleware",
    "chambers.mfa.SecondFactorMiddleware",
    # A NUL byte in the path (404), the query or a form (400) never reaches a view (core/bounds).
    "core.middleware.RefuseNulBytes",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A portal page for the bare 405 of a POST-only URL opened in the browser (core/middleware).
    "core.middleware.MethodNotAllowedPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The audit trail's surface (admin, portal, API) and person of each request (core/audit).
    "core.audit.AuditMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chambers.context_processors.member_login",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": _env_value("DATABASE_URL", env.db_url, f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
if not DATABASES["default"].get("ENGINE", "").startswith("django."):
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL is malformed: use postgres://user@host:5432/name "
        "or sqlite:////absolute/path.sqlite3"
    )
# Persistent connections: django-environ defaults CONN_MAX_AGE to 0, which reconnects on every
# request (measured 2.7x slower on a 100-row list against PostgreSQL).
DATABASES["default"]["CONN_MAX_AGE"] = _env_value("CONN_MAX_AGE", env.int, 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts (BEGIN IMMEDIATE) and wait for it: with
    # SQLite's default deferred mode two writers deadlock on the lock upgrade and one fails
    # with "database is locked" however long the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not _env_value(
    "POSTGRES_JIT", env.bool, False
):
    # PostgreSQL compiles a query to machine code once its estimated cost passes
    # jit_above_cost; the estimate counts the per-row subquery that a CASE never runs (today's
    # stored status, chambers.models.status_expression), and at 12,000 chambers the compiling
    # took 207 ms of the dashboard's 230 ms count. Pages read pages, not analytics: JIT is off
    # unless POSTGRES_JIT=true.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:dashboard"

# Repeated failed logins lock out that user name (from any address: guessing one member's
# password from many addresses) and that address (for any user name: trying many members from
# one address), each after AXES_FAILURE_LIMIT failures within the cool-off.
AXES_FAILURE_LIMIT = _env_value("AXES_FAILURE_LIMIT", env.int, 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_value("AXES_COOLOFF_MINUTES", env.int, 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address (core.net.client_ip): the socket's, or behind TRUSTED_PROXY_COUNT
# proxies the one the outermost proxy saw, from the right of X-Forwarded-For (never the hops the
# client wrote itself).
AXES_CLIENT_IP_CALLABLE = "chambers.security.client_ip"
# Messages in the session, not in a (readable) cookie: the admin shows a new token's key once.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Second factor (django-otp: an authenticator app and recovery codes). When on, staff and
# superusers must enrol and give it before they reach anything; members may enrol. Off for the
# local demonstration (DEBUG) unless set.
MFA_REQUIRED_FOR_STAFF = _env_value("MFA_REQUIRED_FOR_STAFF", _strict_bool, not DEBUG)
OTP_TOTP_ISSUER = _env_value("OTP_TOTP_ISSUER", env.str, "Union secretariat")
# Passkeys (WebAuthn, chambers/passkeys.py): the relying party's id, the portal's host name
# (e.g. union.example). Empty: the host of each request (behind ALLOWED_HOSTS).
WEBAUTHN_RP_ID = _env_value("WEBAUTHN_RP_ID", env.str, "")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The working languages: the portal's interface (a catalogue each, in locale/) and every text
# the secretariat writes (a column per language, django-modeltranslation: adding a language is
# this setting, a catalogue and the migration ``makemigrations`` then generates). LANGUAGE_CODE
# is the union's default: a text missing in the reader's language is shown in it (or, failing
# that, in the first working language that has it), marked as such.
#: The default working languages, each by its own name (the language menu); another language
#: Django knows may be added to LANGUAGES, named by Django.
KNOWN_LANGUAGES = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "tr": "Türkçe",
    "az": "Azərbaycanca",
    "uz": "Oʻzbekcha",
    "ky": "Кыргызча",
    "tk": "Türkmençe",
    "hu": "Magyar",
}
LANGUAGE_CODE = _env_value("LANGUAGE_CODE", env.str, "en")
_LANGUAGE_CODES = _env_value("LANGUAGES", env.list, list(KNOWN_LANGUAGES))


def _language_name(code: str) -> str:
    """A language's own name: ours, else Django's (any language Django knows may be added)."""
    from django.conf.locale import LANG_INFO

    if code in KNOWN_LANGUAGES:
        return KNOWN_LANGUAGES[code]
    if code not in LANG_INFO:
        raise ImproperlyConfigured(f"LANGUAGES: {code!r} is not a language Django knows.")
    return str(LANG_INFO[code].get("name_local", code))


if LANGUAGE_CODE not in _LANGUAGE_CODES:
    raise ImproperlyConfigured(f"LANGUAGES must include LANGUAGE_CODE ({LANGUAGE_CODE!r}).")
LANGUAGES = [(code, _language_name(code)) for code in _LANGUAGE_CODES]
# Country names the union prefers, per language (core.country_names): JSON in the environment,
# e.g. COUNTRY_NAMES='{"ru": {"KG": "Кыргызстан"}}'. Other names are django-countries' own.
COUNTRY_NAMES: dict[str, dict[str, str]] = _env_value(
    "COUNTRY_NAMES", env.json, {"ru": {"KG": "Кыргызстан"}}
)
COUNTRIES_OVERRIDE = country_names.preferred(COUNTRY_NAMES)
# Ours first; then the upstream texts (Django's admin, DRF, django-filter...) that upstream has
# not translated into a working language (scripts/vendor_catalogues.py), before the packages' own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
MODELTRANSLATION_LANGUAGES = tuple(_LANGUAGE_CODES)
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (
    LANGUAGE_CODE,
    *(code for code in _LANGUAGE_CODES if code != LANGUAGE_CODE),
)
TIME_ZONE = _env_value("TIME_ZONE", env.str, "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request while it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(_env_value("MEDIA_ROOT", env.str, str(VAR_DIR / "media")))
#: Members-only meeting documents: never under MEDIA_ROOT, which a proxy serves publicly.
DOCUMENTS_ROOT = Path(_env_value("DOCUMENTS_ROOT", env.str, str(VAR_DIR / "documents")))
# Export files built in the background (XLSX above EXPORT_INLINE_ROWS rows): served to their
# requester only, never directly; deleted after EXPORT_KEEP_HOURS.
EXPORTS_ROOT = Path(_env_value("EXPORTS_ROOT", env.str, str(VAR_DIR / "exports")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: written to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
vars().update(_env_value("EMAIL_URL", env.email_url, "consolemail://"))
DEFAULT_FROM_EMAIL = _env_value("DEFAULT_FROM_EMAIL", env.str, "secretariat@localhost")
# A mail server that hangs must not hold a worker (and the reminder's row lock) for long.
EMAIL_TIMEOUT = _env_value("EMAIL_TIMEOUT", env.int, 10)


#: The portal's address as recipients reach it: e-mails sent by workers link to it.
def _web_address(name: str, default: str) -> str:
    parsed = env.url(name, default=default)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValueError(f"{parsed.geturl()!r} is not a web address (use https://host)")
    return parsed.geturl().rstrip("/")


PORTAL_URL = _env_value("PORTAL_URL", _web_address, "http://localhost:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: on unless DEBUG; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = _env_value("SECURE_SSL_REDIRECT", _strict_bool, not DEBUG)
SESSION_COOKIE_SECURE = _env_value("SESSION_COOKIE_SECURE", _strict_bool, not DEBUG)
CSRF_COOKIE_SECURE = _env_value("CSRF_COOKIE_SECURE", _strict_bool, not DEBUG)
SECURE_HSTS_SECONDS = _env_value("SECURE_HSTS_SECONDS", env.int, 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_value(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", _strict_bool, not DEBUG
)
SECURE_HSTS_PRELOAD = _env_value("SECURE_HSTS_PRELOAD", _strict_bool, not DEBUG)
BEHIND_PROXY = _env_value("SECURE_PROXY_SSL_HEADER", _strict_bool, False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
#: How many proxies in front of gunicorn append to X-Forwarded-For (0: none, the socket's
#: address is the client's). Bind gunicorn to 127.0.0.1 then, so no client skips the proxy.
TRUSTED_PROXY_COUNT: int = _env_value("TRUSTED_PROXY_COUNT", env.int, 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "Environment variable TRUSTED_PROXY_COUNT is malformed: use 0 or more"
    )
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles from our own static files only (templates have no inline script or
# handler); core.csp adds the admin's and the API pages' allowances.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Sessions: members' last SESSION_COOKIE_AGE (two weeks); a staff session ends after this many
# minutes without a request (core.sessions.StaffIdleTimeout).
STAFF_SESSION_IDLE_MINUTES: int = _env_value("STAFF_SESSION_IDLE_MINUTES", env.int, 30)


def _cache(name: str, default: str) -> dict[str, Any]:
    url = env.str(name, default="") or env.str("REDIS_URL", default="")
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    config: dict[str, Any] = env.cache_url_config(url)
    return config


# Cache: the throttles' counters. The process's memory by default; CACHE_URL (or REDIS_URL)
# naming Redis (redis://host:6379/1) counts across every gunicorn worker and host.
CACHES = {"default": _env_value("CACHE_URL", _cache, "")}
THROTTLE_CACHE = "default"

REST_FRAMEWORK = {
    # Token first so that an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "chambers.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # DRF's parsers with the bounds of core/bounds.py: JSON size and depth, no NUL characters.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per token, person or address (core.throttles); over the rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttles.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": _env_value("THROTTLE_READ_RATE", env.str, "600/min"),
        "export": _env_value("THROTTLE_EXPORT_RATE", env.str, "20/min"),
        "import": _env_value("THROTTLE_IMPORT_RATE", env.str, "20/min"),
    },
}
#: Password reset requests, per address and per e-mail address (chambers.views).
PASSWORD_RESET_RATE = _env_value("PASSWORD_RESET_RATE", env.str, "5/hour")
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
#: A JSON body larger (bytes) or nested deeper (arrays and objects) than these is a 400.
API_JSON_MAX_BYTES = _env_value("API_JSON_MAX_BYTES", env.int, 1024 * 1024)
API_JSON_MAX_DEPTH = _env_value("API_JSON_MAX_DEPTH", env.int, 32)

#: The API docs' introduction: one section per part of the API (tests/test_schema.py checks that
#: each heading is there). Markdown, shown at the top of /api/docs/.
API_DESCRIPTION = """
The secretariat's register of the union, for integrations: the member chambers and their
membership, contacts, meetings and their decisions, priorities, the rotation of the
chairmanship, exports, imports and webhooks. Every operation below lists its parameters, its
answers and its errors.

## Languages
Answers are in the request's language: `Accept-Language: kk`, or `?lang=kk` on any URL (one of
the working languages; an unknown one is ignored). Every text the secretariat writes comes
twice: the plain field in that language, falling back to the union's default where it has no
translation (`title`, `text`, `description`, `minutes`, `name`, `short_name`, `city`,
`position`, `basis`), and a dict of every working language beside it, blank where there is none
(`titles`, `texts`, `descriptions`, `minutes_by_language`, `names`, `short_names`, `cities`,
`positions`, `bases`). Writes take either: a plain value is the text in the request's language;
the dict sets the languages it names and wins for those. A body read with `GET` can be sent
back as it is.

## Chambers
`GET /api/v1/chambers/` (filters `country`, `status`, `q`) and `GET /api/v1/chambers/{slug}/`
are public, sorted by short name in the request language's alphabet. `name` is the official
name in the request's language, `names` all of them. The
secretariat adds chambers (`POST`); the secretariat and that chamber's editor change one
(`PATCH`). A chamber is never deleted: it leaves the union by a status change.

## Memberships and status
`GET /api/v1/chambers/{slug}/memberships/` (members) is the chamber's history: periods with a
status (`member`, `observer`, `suspended`, `former`), a first day, a last day and a basis.
`status` and `member_since` of a chamber are today's. `POST /api/v1/chambers/{slug}/status/`
(`status`, `effective`, `basis`; staff) closes the current period and opens the next one; a
chamber that holds a chairmanship term cannot be suspended.

## Contacts
`GET /api/v1/chambers/{slug}/contacts/` and `GET /api/v1/contacts/{id}/` for members;
`POST .../contacts/`, `PATCH` and `DELETE /api/v1/contacts/{id}/` for staff and the chamber's
editor. Roles: `head`, `focal_point`, `delegate`; `preferred_language` chooses the language of
the e-mails the contact receives.

## Meetings
`GET /api/v1/meetings/` (filters `kind`, `status`, `year`) and `GET /api/v1/meetings/{id}/`
(with the agenda, attendance and documents) for members; staff create and change meetings.
Times are given in the meeting's own zone, with that zone's offset
(`"starts_at": "2026-05-14T10:00:00+05:00"`, `"time_zone": "Asia/Almaty"`), not in UTC.

## Invitations, RSVP and attendance
A meeting invites every member and observer chamber on its date. An invited chamber's editor
answers with `POST /api/v1/meetings/{id}/rsvp/` (`status`: `attending` or `declined`,
`delegates`: contact ids of that chamber; staff name the `chamber`). Staff record who was there
with `POST /api/v1/meetings/{id}/attendance/` (`chamber`, `present`).

## Decisions
`GET /api/v1/decisions/` (filters `kind`, `meeting`, `year`): the public sees adopted,
published decisions; members see drafts too. Staff record a draft with `POST
/api/v1/decisions/` (`meeting`, `kind`, `title`, `text`, `method`: `vote` or `consensus`,
`effects`).

## Votes and adoption
Staff record each chamber's vote (`POST /api/v1/decisions/{id}/votes/`: `chamber`, `vote`:
`for`, `against`, `abstain`) and adopt (`POST /api/v1/decisions/{id}/adopt/`). Adoption checks
the quorum of full members present and the majority of the kind's rules, then applies the
decision's effects in the same transaction: `change_status` and `admit` (membership),
`activate_priorities` (priorities), `approve_term`, `waive`, `swap` and `set_order` (rotation).
If an effect cannot be applied nothing is adopted (400 with the reason); an adopted decision
cannot be adopted again (409). Observers and suspended members attend without a vote.

## Priorities and action items
`GET /api/v1/priorities/` and `GET /api/v1/action-items/` (members). Staff and the responsible
chamber's editor report progress with `PATCH /api/v1/action-items/{id}/` (`status`,
`progress` 0-100, `note`). An item is `overdue` when its due date has passed while it is still
open or in progress.

## Rotation
The chairmanship passes from chamber to chamber in terms. `GET /api/v1/rotation/terms/` and
`GET /api/v1/rotation/current/` (the previous, current and next term) are public;
`GET /api/v1/rotation/forecast/?years=N` (1 to 100: who chairs next, and who is passed over and
why) and `GET /api/v1/rotation/order/` (the order and its kind) are for members. Terms change
only by adopted rotation decisions.

## Exports
`GET /api/v1/exports/{chambers,decisions,contacts,action-items}.{csv,xlsx}`: CSV (UTF-8 with a
BOM) or XLSX, with the permissions of the list it exports (chambers and published decisions are
public, contacts and action items need a member login or token).

## Imports
`POST /api/v1/imports/{chambers,contacts}/` (`file`: CSV or XLSX, `dry_run`) for the
secretariat. Every row is checked first: if one is wrong nothing is written and the answer lists
each error with its row and field. Memberships change only through the import-only column
`new_status` (with `effective` and `basis`).

## Webhooks
The secretariat registers subscribers in the admin. Each event (`membership.changed`,
`meeting.created`, `meeting.updated`, `decision.adopted`, `term.approved`, ...) is POSTed as JSON
after the change is committed, with `X-Union-Event`, `X-Union-Delivery` (the event's id: ignore
a repeated one) and `X-Union-Signature: t=<unix seconds>,v1=<hex>`, the HMAC-SHA256 with the
subscriber's secret of `t`, a dot and the raw body. Refuse a `t` more than five minutes old. A
receiver that does not answer 2xx is tried again with backoff.

## Authentication
Send `Authorization: Token <key>` with every request; a browser's session works too. Tokens
are issued and revoked by the secretariat; a chamber's `read` token acts as that chamber's
viewer, a `write` token as its editor; a secretariat token reads everything (`read`) or acts as
staff (`write`). Without valid credentials the answer is 401.

## Pagination
Lists answer `{"count", "next", "previous", "results"}`. Ask with `limit` (default 50, at most
200) and `offset`, or follow `next` until it is `null`.

## ETags and If-Match
One object is sent with an `ETag`. Send it back as `If-Match` with a `PATCH`: if the object
changed since you read it, the answer is 412 and nothing changes. `If-None-Match` on a `GET`
answers 304 while your copy is current.

## Errors
400 names each field at fault (`{"website": ["Enter a valid URL."]}`, nested like the request;
`detail` or `non_field_errors` for the rest); 401 without valid credentials; 403 when the role
does not allow it; 404 for an unknown object or another chamber's; 409 when another change got
there first or the change conflicts with the register (a period already taken); 412 for a stale
`If-Match`. Nothing changes on any of them.

## Languages
English, Russian, Kazakh and Turkish: send `Accept-Language` (`ru`, `kk`, `tr`, `en`) to get
names (`name`) and error messages in that language; `names` always has every language.
""".strip()

SPECTACULAR_SETTINGS = {
    "TITLE": "Union of chambers: secretariat API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": "chambers.models.MembershipStatus",
        "ChamberStatusEnum": "chambers.models.STATUS_CHOICES",
        "CountryEnum": "chambers.schema.COUNTRY_CHOICES",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "DecisionKindEnum": "meetings.models.DecisionKind",
        "VoteChoiceEnum": "meetings.models.VoteChoice",
        "BallotAnswerEnum": "meetings.models.BallotAnswer",
        "ProcedureModeEnum": "meetings.models.ProcedureMode",
        "ProcedureStateEnum": "meetings.models.ProcedureState",
        "PriorityStatusEnum": "meetings.models.Priority.Status",
        "ActionItemStatusEnum": "meetings.models.ActionItem.Status",
        "TermStateEnum": "rotation.models.TermState",
    },
}

# Celery: kombu's filesystem transport by default, so a real worker runs with no server.
CELERY_BROKER_URL = _env_value("CELERY_BROKER_URL", env.str, "filesystem://localhost//")
if CELERY_BROKER_URL.split("://", 1)[0] not in {
    "filesystem",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "memory",
}:
    raise ImproperlyConfigured(
        "Environment variable CELERY_BROKER_URL is malformed: use redis://host:6379/0, "
        "amqp://user:pass@host:5672// or filesystem://localhost//"
    )
CELERY_BROKER_FOLDER = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(CELERY_BROKER_FOLDER),
        # Exchange bindings (kombu writes them to ./control by default, in the work tree).
        "control_folder": str(CELERY_BROKER_FOLDER.parent / "control"),
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message not acknowledged within this time is delivered again (Redis): retries
        # never wait longer than half of it (TASK_RETRY_DELAY_MAX below).
        "visibility_timeout": 3600,
        # Bounded publishing: with the broker down, a page that enqueues after commit answers
        # within a few seconds instead of retrying for minutes (the next scan catches up).
        "max_retries": 0,
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
#: After a publish that timed out, this process does not try the broker again for this long
#: (core.outbox): a write that publishes several times waits the timeouts once, not each time.
BROKER_DOWN_PAUSE_SECONDS = _env_value("BROKER_DOWN_PAUSE_SECONDS", env.float, 10.0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")


# Reminders: the daily scan's local time (HH:MM), retries of a failed send, and how long a
# reminder whose day was missed is still sent late.
def _time_of_day(name: str, default: str) -> tuple[int, int]:
    raw = env.str(name, default=default).strip()
    try:
        hour, minute = (int(part) for part in raw.split(":"))
    except ValueError:
        raise ValueError(f"{raw!r} is not a time of day (use HH:MM, e.g. 07:00)") from None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"{raw!r} is not a time of day (use HH:MM, e.g. 07:00)")
    return hour, minute


# Webhooks: subscribers' URLs may not point at internal addresses (loopback, private, link-local)
# unless this is on (a receiver on the same host or network, or the test suite).
WEBHOOKS_ALLOW_PRIVATE_URLS = _env_value("WEBHOOKS_ALLOW_PRIVATE_URLS", _strict_bool, False)
WEBHOOK_TIMEOUT = _env_value("WEBHOOK_TIMEOUT", env.int, 10)
WEBHOOK_SEND_RETRIES = 6
WEBHOOK_RETRY_DELAY = 30.0

REMINDERS_SCAN_AT = _env_value("REMINDERS_SCAN_AT", _time_of_day, "07:00")
REMINDERS_LATE_DAYS = _env_value("REMINDERS_LATE_DAYS", env.int, 30)
REMINDER_SEND_RETRIES = 5
REMINDER_RETRY_DELAY = 60.0
TASK_RETRY_DELAY_MAX = min(
    600.0, CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) / 2
)
# An XLSX export of more rows than this is built by a worker and offered when ready (CSV streams).
EXPORT_INLINE_ROWS = _env_value("EXPORT_INLINE_ROWS", env.int, 5000)
EXPORT_KEEP_HOURS = _env_value("EXPORT_KEEP_HOURS", env.int, 24)
# An agenda pack with more PDF documents than this, or more MB of them, is typeset by a worker
# and offered when ready (bench/agenda_pack.py: 50 items and 20 documents take about 1.2 s).
AGENDA_PACK_INLINE_DOCUMENTS = _env_value("AGENDA_PACK_INLINE_DOCUMENTS", env.int, 20)
AGENDA_PACK_INLINE_MB = _env_value("AGENDA_PACK_INLINE_MB", env.float, 10.0)
# Calendar feeds carry the meetings that ended within this many days, and all those planned.
CALENDAR_FEED_PAST_DAYS = _env_value("CALENDAR_FEED_PAST_DAYS", env.int, 365)

# /healthz: how long the broker may take to accept a connection before it is reported failing.
HEALTHZ_BROKER_TIMEOUT = _env_value("HEALTHZ_BROKER_TIMEOUT", env.float, 2.0)

CELERY_BEAT_SCHEDULE: dict = {
    # Today's stored status of every chamber, for the new day (chambers.services); the pages
    # derive it from the periods until this has run. Hourly, so a beat that was down at
    # midnight catches up; a no-op once the day's statuses are stored.
    "refresh-statuses": {
        "task": "chambers.tasks.refresh_statuses",
        "schedule": crontab(minute=1),
    },
    # Written procedures close at their deadline (at most a minute late, exactly once).
    "close-procedures": {
        "task": "meetings.tasks.close_procedures",
        "schedule": crontab(minute="*"),
    },
    "scan-reminders": {
        "task": "reminders.tasks.scan_reminders",
        "schedule": crontab(hour=REMINDERS_SCAN_AT[0], minute=REMINDERS_SCAN_AT[1]),
    },
    # Export files whose build message was lost; files past EXPORT_KEEP_HOURS deleted.
    "tidy-export-files": {
        "task": "exchange.tasks.tidy_export_files",
        "schedule": crontab(minute="*/5"),
    },
    # Webhook deliveries that could not be queued (broker down) or whose message was lost.
    "redeliver-pending-webhooks": {
        "task": "webhooks.tasks.redeliver_pending",
        "schedule": crontab(minute="*/5"),
    },
}

LOG_LEVEL = _env_value("LOG_LEVEL", env.str, "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        "Environment variable LOG_LEVEL is malformed: use DEBUG, INFO, WARNING or ERROR"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Calendar feed keys, tokens and passwords in URLs are masked (core.logfilters); gunicorn's
    # own logs get the same filter from gunicorn.conf.py.
    "filters": {"mask_secrets": {"()": "core.logfilters.MaskSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Axes logs every successful login at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO; its warnings (a missing font) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver's request lines (Django's own handler has no filter).
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

#: An XLSX import is refused before it is parsed when its files expand past this (bytes) or
#: any of them is compressed more than XLSX_MAX_RATIO times (a "zip bomb").
XLSX_MAX_EXPANDED_BYTES = _env_value("XLSX_MAX_EXPANDED_MB", env.int, 50) * 1024 * 1024
XLSX_MAX_RATIO = _env_value("XLSX_MAX_RATIO", env.int, 100)
#: Largest meeting document accepted (bytes).
MEETING_DOCUMENT_MAX_BYTES = _env_value("MEETING_DOCUMENT_MAX_MB", env.int, 20) * 1024 * 1024
