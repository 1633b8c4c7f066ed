"""Settings for GFMD Tracker: what differs between a laptop, CI and production comes from the
environment (README.md, "Configuration", lists the variables)."""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is allowed only while DEBUG is on; production must set one.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production" if DEBUG else env.NOTSET)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_filters",
    "import_export",
    "simple_history",
    "modeltrans",
    "axes",
    "django_ratelimit",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "gfmd_tracker",
    "recommendations",
    "partnerships",
    "opendata",
    "api",
    "notifications",
]

# Security headers first, so static files (WhiteNoise) and health probes get them too; the health
# probe is answered before CommonMiddleware checks the Host against ALLOWED_HOSTS.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gfmd_tracker.security.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gfmd_tracker.security.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after the session, before CommonMiddleware (Django's order)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gfmd_tracker.security.IdleTimeoutMiddleware",
    "gfmd_tracker.languages.ProfileLanguageMiddleware",  # the profile's language wins over the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gfmd_tracker.urls"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    # Read before every app's templates: what replaces a library's own template, not only extends it (Django's
    # admin comes first in INSTALLED_APPS, so an app's admin/search_form.html would never be found).
    "DIRS": [BASE_DIR / "gfmd_tracker" / "overrides"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "gfmd_tracker.portal.context",
    ]},
}]

WSGI_APPLICATION = "gfmd_tracker.wsgi.application"

# SQLite file in the project by default; DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection lost (database restarted) is replaced
# A runaway query is cancelled (the request gets an error page) instead of holding a worker.
STATEMENT_TIMEOUT_MS = env.int("STATEMENT_TIMEOUT_MS", default=30_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"

# The public portal (gfmd_tracker/portal.py): anonymous pages may be kept by browsers, proxies and CDNs
# for PUBLIC_MAX_AGE seconds (and revalidated by ETag after); anonymous downloads are limited per client
# address (django-ratelimit, counted in the cache below: per process, unless CACHE_URL names a shared one).
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=60)
ANON_EXPORT_RATE = env("ANON_EXPORT_RATE", default="30/m")
# The API (api/): anonymous calls limited per client address (DRF's throttling, in the same cache).
ANON_API_RATE = env("ANON_API_RATE", default="60/m")
# django-ratelimit warns about any cache it does not list, Django's own Redis cache included; both ours
# (gfmd_tracker.cache, whose incr is atomic) and Django's Redis count correctly.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Aggregates the database cannot answer in time and {% cache %} fragments, keyed by the data version
# (recommendations.versioning), so never stale. Bounded in bytes, not entries: one search's matches
# can take 800 KB, a count a few bytes.
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
else:
    CACHES = {"default": {"BACKEND": "gfmd_tracker.cache.BoundedMemoryCache",
                          "OPTIONS": {"MAX_BYTES": env.int("CACHE_MAX_MB", default=64) * 2**20}}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username + address first
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The Forum's working languages (README, "Languages"). English is the default and the report's own language;
# no language prefix in the addresses: a page, a feed or an API call has one address in every language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
# The report's content in other languages (README, "Languages"): English is the official text, in the models' own
# columns; an editor's French and Spanish go in each record's `i18n` JSON column (django-modeltrans).
MODELTRANS_DEFAULT_LANGUAGE = "en"
MODELTRANS_FALLBACK = {"default": ("en",)}
MODELTRANS_ADD_FIELD_HELP_TEXT = False
# Each app keeps its catalogue in its own locale/ (gfmd_tracker/locale for the project's). LOCALE_PATHS, read
# before them all, holds only what replaces a library's own translations (README, "Libraries' words").
LOCALE_PATHS = [BASE_DIR / "gfmd_tracker" / "overrides" / "libraries" / "locale"]  # alone in its folder: see README
# English dates and times in one style on every page, the timeline and the admin: "11 Nov 2010", "14:05". With
# localisation always on, a locale's formats win over these, so gfmd_tracker/formats/en/ hands them on
# (gfmd_tracker/formats/fr/ and es/ give French and Spanish theirs).
DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"
FORMAT_MODULE_PATH = ["gfmd_tracker.formats"]
TIME_ZONE = env("TIME_ZONE", default="UTC")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files (evidence of a closure, recommendations.models.closure): the default storage, a directory by
# default. Not served by the site's URLs to anyone: pages that offer them check who asks.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 2**20)

# The open-data ZIP (opendata/, `manage.py build_open_data`): written through Django's storage API, so that
# several web servers serve the same file. A directory by default (shared between the servers, or one server);
# any storage backend with its options as JSON otherwise, e.g. S3-compatible with django-storages:
# OPEN_DATA_STORAGE=storages.backends.s3.S3Storage OPEN_DATA_STORAGE_OPTIONS='{"bucket_name": "…"}'.
# OPEN_DATA_LICENSE: the licence of the tracker's own data in it (an SPDX identifier; README, "Public data").
OPEN_DATA_DIR = env.path("OPEN_DATA_DIR", default=BASE_DIR / "open-data")
STORAGES["open_data"] = {
    "BACKEND": env("OPEN_DATA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json("OPEN_DATA_STORAGE_OPTIONS", default={}) or {"location": str(OPEN_DATA_DIR)},
}
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", default="CC-BY-4.0")

# Imports run inside one transaction: a file with a bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# E-mail (notifications/, README "Configuration"): EMAIL_URL names the server, e.g. smtp+tls://user:pass@host:587
# (django-environ; consolemail:// prints them). Without it: the console with DEBUG, else a mail server on this
# host (smtp://localhost:25: a local MTA such as Postfix, relaying for the site). SITE_URL: the address that
# links in a mail start with (a mail has no request to take it from). The URL is not kept as a setting of its
# own, which Django's error pages would show with its password (EMAIL_HOST_PASSWORD they hide).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update({name: value for name, value in _email.items() if value is not None})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GFMD Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Reminders (notifications/reminders.py, `manage.py send_reminders`): an owner is reminded of a due date this many
# days ahead (each window once per due date), and an item overdue by ESCALATE_AFTER_DAYS days goes to the editors.
REMINDER_DAYS = sorted(env.list("REMINDER_DAYS", cast=int, default=[30, 7]))
ESCALATE_AFTER_DAYS = env.int("ESCALATE_AFTER_DAYS", default=30)

# Accounts (gfmd_tracker/accounts.py): a password-reset request is limited per client address and per e-mail
# address (over it: the same answer, no mail); an invitation's link is valid INVITATION_DAYS, a reset link
# PASSWORD_RESET_DAYS, each once.
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="5/h")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_DAYS", default=3) * 24 * 60 * 60
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

# Security: strict by default outside DEBUG; each can be relaxed from the environment.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# The proxies whose X-Forwarded-For is believed: by default, behind a proxy, the one on this host.
TRUSTED_PROXIES = [ip_network(proxy, strict=False) for proxy in
                   env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_PROXY else [])]
# The header in which those proxies name the client (login lockouts and rate limits count by it).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="X-Forwarded-For")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# An idle session ends (IdleTimeoutMiddleware keeps an active one alive), or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Health checks of a load balancer come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Login brute force (django-axes): a username is locked out from one address, and from everywhere
# after AXES_USERNAME_FAILURE_LIMIT failures from all addresses (security.LoginLockoutHandler).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_HANDLER = "gfmd_tracker.security.LoginLockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "gfmd_tracker.security.client_ip"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): everything from this site only; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
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

# The read API and the update endpoint (api/, README "Public data"): JSON only, the lists' FilterSets, cursor
# pagination, personal tokens (django-rest-knox: stored as SHA-512 digests) or the session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.PublicReadOrRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.access.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["api.access.AnonymousPerAddress"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations create its AuthToken table even when swapped for ours: an empty table whose key to the
# users stops a database flush (the restore test) on PostgreSQL. Without them the swapped model gets no table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=365)),
    "TOKEN_PREFIX": "gfmd_",  # recognisable in a leaked file or a secret scanner
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GFMD Tracker API",
    "DESCRIPTION": "The follow-up of the Global Forum on Migration and Development's outcomes. Anonymous "
                   "clients read the public fields; a personal token (Authorization: Token …) reads what its "
                   "user's role reads and logs updates. See the README, \"Public data\".",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from this site (drf-spectacular-sidecar), never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,  # the fields only those who sign in read are absent for the public
    "ENUM_NAME_OVERRIDES": {"Status": "recommendations.models.Status", "Stage": "partnerships.models.Stage",
                            "Verification": "recommendations.models.Verification"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # every login would be logged twice otherwise
}

# Spreadsheets: CSV and Excel. Importing needs the model's "change" permission, exporting its "view".
from import_export.formats.base_formats import CSV  # noqa: E402

from gfmd_tracker.spreadsheets import CheckedCSV, CheckedXLSX  # noqa: E402

# Uploads are checked before they are read: size, encoding, delimiter, headers, row count;
# an .xlsx is unpacked only if it is a real one of sane size (no zip bombs; defusedxml).
IMPORT_FORMATS = [CheckedCSV, CheckedXLSX]
EXPORT_FORMATS = [CSV, CheckedXLSX]  # CheckedXLSX: labels, widths, frozen header, autofilter
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 2**20)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
# An upload waits for "Confirm import" in the database, so that any web process can confirm it.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "gfmd_tracker.previews.DatabasePreviewStorage"
IMPORT_PREVIEW_MAX_AGE = env.int("IMPORT_PREVIEW_MAX_AGE", default=3600)
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
