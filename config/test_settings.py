"""Settings for the test suite: the real settings with faster hashing and plain static storage."""

import os

os.environ.setdefault("DEBUG", "false")
# Strong enough for the secrets check (core/checks.py): config.wsgi runs it when imported.
os.environ.setdefault(
    "SECRET_KEY", "suite-3kq9Vz7Rw2Lm8Tb4Nx6Hc1Jd5Fg0Ps-YaUeQiOrW7tZ2xC9vB4nM6lK8"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The second factor is off for the suite (staff log in with force_login); the MFA tests turn it
# on with the `settings` fixture.
os.environ.setdefault("MFA_REQUIRED_FOR_STAFF", "false")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
DOCUMENTS_ROOT = VAR_DIR / "test-documents"  # noqa: F405
EXPORTS_ROOT = VAR_DIR / "test-exports"  # noqa: F405

# Keep the suite's filesystem broker apart from a `make run` worker's folder.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_FOLDER = VAR_DIR / "celery" / "test-broker"  # noqa: F405
    CELERY_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(CELERY_BROKER_FOLDER),
        # Exchange bindings (kombu writes them to ./control by default, in the work tree).
        "control_folder": str(CELERY_BROKER_FOLDER.parent / "test-control"),
    }

# Tests that make the broker fail expect the next test's publish to be tried (core.outbox).
BROKER_DOWN_PAUSE_SECONDS = 0.0

# Reminder retries in fractions of a second, and fewer of them, so failure paths run quickly.
REMINDER_RETRY_DELAY = 0.2
TASK_RETRY_DELAY_MAX = 1.0
REMINDER_SEND_RETRIES = 2

# Webhook receivers in the suite listen on 127.0.0.1; retries come quickly.
WEBHOOKS_ALLOW_PRIVATE_URLS = True
WEBHOOK_RETRY_DELAY = 0.2
WEBHOOK_SEND_RETRIES = 2

# One test database per pytest process on PostgreSQL, so that runs started side by side (two
# terminals, several agents) never drop each other's database.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405
