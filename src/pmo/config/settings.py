"""Django settings for pmo, read from ``PMO_*`` environment variables only.

The README lists every variable. Defaults give the embedded set-up: one machine, an SQLite file
in ``var/``, console email and an in-process cache.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pmo.config import env

SOURCE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SOURCE_DIR.parent.parent
VAR_DIR = env.path("PMO_VAR_DIR", PROJECT_DIR / "var")

DEBUG = env.boolean("PMO_DEBUG", False)
SECRET_KEY = env.secret_key("PMO_SECRET_KEY", VAR_DIR)
ALLOWED_HOSTS = env.text_list("PMO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.text_list("PMO_CSRF_TRUSTED_ORIGINS", [])

# Behind a TLS-terminating proxy, PMO_HTTPS=true turns on secure cookies, HSTS and redirects.
HTTPS = env.boolean("PMO_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "pmo.core",
    "pmo.portfolio",
    "pmo.planning",
    "pmo.resourcing",
    "pmo.levelling",
    "pmo.governance",
    "pmo.changes",
    "pmo.lifecycle",
    "pmo.health",
    "pmo.kpis",
    "pmo.reporting",
    "pmo.dashboards",
    "pmo.api",
    "pmo.web",
    "pmo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pmo.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pmo.config.urls"
WSGI_APPLICATION = "pmo.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pmo.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.text("PMO_DATABASE_URL", f"sqlite:///{VAR_DIR / 'pmo.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.integer("PMO_DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
except ValueError as error:
    raise ImproperlyConfigured(f"PMO_DATABASE_URL is not a database URL: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=normal;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _database["TEST"] = {"NAME": ":memory:"}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHE_URL = env.text("PMO_CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pmo"}}
else:
    raise ImproperlyConfigured(f"PMO_CACHE_URL must start with locmem:// or redis://, not {CACHE_URL!r}.")

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.text("PMO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "pmo.web.finders.PackageFileFinder",  # plotly.js from the plotly package, never a CDN
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("PMO_MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without collected files (development, tests), serve straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()
if WHITENOISE_USE_FINDERS:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# --- Email ----------------------------------------------------------------------------------
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_KIND = env.text("PMO_EMAIL_BACKEND", "console")
if EMAIL_KIND not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(f"PMO_EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)}, not {EMAIL_KIND!r}.")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKENDS[EMAIL_KIND],
        "OPTIONS": (
            {
                "host": env.text("PMO_EMAIL_HOST", "localhost"),
                "port": env.integer("PMO_EMAIL_PORT", 25),
                "username": env.text("PMO_EMAIL_USER"),
                "password": env.text("PMO_EMAIL_PASSWORD"),
                "use_tls": env.boolean("PMO_EMAIL_USE_TLS", False),
            }
            if EMAIL_KIND == "smtp"
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.text("PMO_EMAIL_FROM", "pmo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "pmo.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pmo.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pmo API",
    "DESCRIPTION": "The REST API of pmo, the open Project Management Office platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids are named after the resource, not the API's version.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Choice sets used by several fields are named once.
    "ENUM_NAME_OVERRIDES": {
        "ProficiencyLevelEnum": "pmo.resourcing.choices.PROFICIENCY_LEVELS",
        "PeriodKindEnum": "pmo.resourcing.choices.PeriodKind",
        "DependencyStatusEnum": "pmo.portfolio.choices.DependencyStatus",
        "TimesheetStatusEnum": "pmo.resourcing.choices.TimesheetStatus",
        "TimesheetApprovalStatusEnum": "pmo.resourcing.choices.ApprovalStatus",
        "NonProjectCategoryEnum": "pmo.resourcing.choices.NonProjectCategory",
        "LevellingScopeEnum": "pmo.levelling.choices.Scope",
        "LevellingStateEnum": "pmo.levelling.choices.RunState",
        "LevellingGoalEnum": "pmo.levelling.choices.Goal",
        "StageEnum": "pmo.portfolio.choices.LifecycleStage",
        "GateStageEnum": "pmo.lifecycle.choices.GATE_STAGE_CHOICES",
        "PMOModelEnum": "pmo.lifecycle.choices.PMOModel",
        "VersionStatusEnum": "pmo.lifecycle.choices.VersionStatus",
        "StandardStatusEnum": "pmo.lifecycle.choices.StandardStatus",
        "EvidenceKindEnum": "pmo.lifecycle.choices.EvidenceKind",
        "GateDecisionEnum": "pmo.lifecycle.choices.GateDecision",
        "GateReviewStatusEnum": "pmo.lifecycle.choices.ReviewStatus",
        "GateApproverRoleEnum": "pmo.lifecycle.choices.ApproverRole",
        "RiskStatusEnum": "pmo.governance.choices.RiskStatus",
        "RiskNatureEnum": "pmo.governance.choices.RiskKind",
        "RiskResponseEnum": "pmo.governance.choices.RiskResponse",
        "RiskProximityEnum": "pmo.governance.choices.ProximityBand",
        "AssumptionStatusEnum": "pmo.governance.choices.AssumptionStatus",
        "IssueStatusEnum": "pmo.governance.choices.IssueStatus",
        "IssuePriorityEnum": "pmo.governance.choices.IssuePriority",
        "IssueSeverityEnum": "pmo.governance.choices.IssueSeverity",
        "RaidDependencyStatusEnum": "pmo.governance.choices.RaidDependencyStatus",
        "RaidDependencyNatureEnum": "pmo.governance.choices.DependencyKind",
        "ActionStatusEnum": "pmo.governance.choices.ActionStatus",
        "EscalationStateEnum": "pmo.governance.choices.EscalationState",
        "NotificationKindEnum": "pmo.governance.choices.NotificationKind",
        "ChangeStatusEnum": "pmo.changes.choices.ChangeStatus",
        "ChangeBoardEnum": "pmo.changes.choices.Board",
        "ChangeRiskLevelEnum": "pmo.changes.choices.RiskLevel",
        "ConfigurationItemKindEnum": "pmo.changes.choices.ConfigurationItemKind",
        "ConfigurationItemStatusEnum": "pmo.changes.choices.ConfigurationItemStatus",
        "ReviewResultEnum": "pmo.changes.choices.ReviewResult",
        "CriterionOutcomeEnum": "pmo.changes.choices.CriterionOutcome",
        "HealthStatusEnum": "pmo.health.choices.HealthStatus",  # also a KPI measurement's status
        "HealthDimensionEnum": "pmo.health.choices.Dimension",
        "KPILevelEnum": "pmo.kpis.choices.KPILevel",
        "KPIDirectionEnum": "pmo.kpis.choices.Direction",
        "KPIFrequencyEnum": "pmo.kpis.choices.Frequency",
        "MeasurementSourceEnum": "pmo.kpis.choices.MeasurementSource",
        "RecommendationStatusEnum": "pmo.kpis.choices.RecommendationStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.text("PMO_LOG_LEVEL", "INFO")},
}
