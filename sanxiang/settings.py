"""Django settings for Sanxiang, read strictly from the environment (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from sanxiang.env import ConfigError, env_bool, env_int, env_list, env_str, persistent_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SANXIANG_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("SANXIANG_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG=true is refused when SANXIANG_PRODUCTION=true")

# Production refuses weak settings rather than running on them (`sanxiang check --deploy` is clean).
SECRET_KEY_MIN_LENGTH = 50
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(SECRET_KEY)) < 5:
        raise ConfigError(
            f"SECRET_KEY 过短或过于简单：生产环境须至少 {SECRET_KEY_MIN_LENGTH} 个字符的随机值"
            " (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    _database_url = env_str("DATABASE_URL", required=True)
    if _database_url.startswith("sqlite"):
        raise ConfigError("DATABASE_URL: 生产环境须使用 PostgreSQL，不得使用 SQLite")
else:
    SECRET_KEY = env_str("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
    _database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanxiang.sqlite3'}")

ALLOWED_HOSTS = (
    env_list("ALLOWED_HOSTS", [])
    if PRODUCTION
    else env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS: 生产环境须列明本站的主机名")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Persistent connections in production; tests set 0 so live-server threads release theirs at once.
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=env_int("SANXIANG_DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while a writer appends; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "sanxiang.api.third_party.AxesConfig",
    "django_tasks",
    "sanxiang.api.third_party.TasksDatabaseConfig",
    "sanxiang.accounts",
    "sanxiang.registry",
    "sanxiang.workdays",
    "sanxiang.rules",
    "sanxiang.catalog",
    "sanxiang.procedures",
    "sanxiang.ledger",
    "sanxiang.cases",
    "sanxiang.review",
    "sanxiang.disclosure",
    "sanxiang.inspections",
    "sanxiang.supervision",
    "sanxiang.documents",
    "sanxiang.assist",
    "sanxiang.portal",
    "sanxiang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sanxiang.api.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sanxiang.api.boundary.BoundaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "sanxiang.api.boundary.ErrorPageMiddleware",
]
CSRF_FAILURE_VIEW = "sanxiang.error_pages.csrf_failure"

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sanxiang" / "templates"],
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

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock the username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("SANXIANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SANXIANG_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# API tokens: valid this many days from issue (`sanxiang issue-token --days`); a client that presents
# this many bad tokens within the window is refused with 429 until the window ends.
SANXIANG_API_TOKEN_DAYS = env_int("SANXIANG_API_TOKEN_DAYS", 365)
SANXIANG_BAD_TOKEN_LIMIT = env_int("SANXIANG_BAD_TOKEN_LIMIT", 10)
SANXIANG_BAD_TOKEN_WINDOW_MINUTES = env_int("SANXIANG_BAD_TOKEN_WINDOW_MINUTES", 15)

# Idle sessions end; every request renews the idle window.
SESSION_COOKIE_AGE = env_int("SANXIANG_SESSION_SECONDS", 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production sits behind a TLS-terminating reverse proxy (docs/deploy.md) that sets X-Forwarded-Proto.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SANXIANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SANXIANG_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Content-Security-Policy on every response (sanxiang.api.headers): scripts only from our own static
# files (htmx, charts, Swagger UI), no inline script or handler; inline style attributes stay allowed.
SANXIANG_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "sanxiang" / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "sanxiang" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves static files from the app directories without collectstatic in the embedded default;
# production serves the collected, compressed, content-hashed copies (`sanxiang serve` collects them).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if PRODUCTION:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

SANXIANG_BLOB_DIR = Path(env_str("SANXIANG_BLOB_DIR") or str(VAR_DIR / "blobs"))
# Where blob bytes live: "local" (the directory above) or "s3" (any S3-compatible object store; README).
SANXIANG_BLOB_STORE = env_str("SANXIANG_BLOB_STORE", "local")
if SANXIANG_BLOB_STORE not in ("local", "s3"):
    raise ConfigError(f"SANXIANG_BLOB_STORE must be local or s3, not {SANXIANG_BLOB_STORE!r}")
SANXIANG_S3 = {
    "endpoint_url": env_str("SANXIANG_S3_ENDPOINT_URL", ""),
    "bucket": env_str("SANXIANG_S3_BUCKET", required=SANXIANG_BLOB_STORE == "s3") or "",
    "prefix": env_str("SANXIANG_S3_PREFIX", ""),
    "region": env_str("SANXIANG_S3_REGION", "us-east-1"),
    "access_key": env_str("SANXIANG_S3_ACCESS_KEY", ""),
    "secret_key": env_str("SANXIANG_S3_SECRET_KEY", ""),
    "presign_seconds": env_int("SANXIANG_S3_PRESIGN_SECONDS", 900),
}
# `sanxiang blobs sweep`: leftovers of crashed requests and never-used blobs older than this go.
SANXIANG_BLOB_SWEEP_GRACE_HOURS = env_int("SANXIANG_BLOB_SWEEP_GRACE_HOURS", 168)
# The ledger's SM2 key for signing checkpoints (hex or PKCS#8 PEM); required in production, generated once
# under var/ledger/ for the embedded default. The origin names this log in every checkpoint it signs.
SANXIANG_LEDGER_KEY_FILE = Path(
    env_str("SANXIANG_LEDGER_KEY_FILE", required=PRODUCTION) or str(VAR_DIR / "ledger" / "sm2_key")
)
if PRODUCTION and not SANXIANG_LEDGER_KEY_FILE.is_file():
    # Never generated in production: a key made here would sign checkpoints nobody outside has pinned.
    raise ConfigError(f"SANXIANG_LEDGER_KEY_FILE: 账本签名密钥文件 {SANXIANG_LEDGER_KEY_FILE} 不存在")
# Each agency's SM2 key that signs its 执法文书 (GB/T 32918.2 over the file's SM3): one private key file
# per agency (``<agency public_id>.key``, mode 0600) in this directory, made the first time the agency
# issues a document; only its public key is stored in the database, published and recorded.
SANXIANG_DOCUMENT_KEY_DIR = Path(
    env_str("SANXIANG_DOCUMENT_KEY_DIR") or str(VAR_DIR / "ledger" / "document-keys")
)
SANXIANG_LEDGER_ORIGIN = env_str("SANXIANG_LEDGER_ORIGIN", "sanxiang.local/ledger")
# The tree as C2SP tlog-tiles, written when a checkpoint is signed, served under /ledger/tile/.
SANXIANG_LEDGER_TILE_DIR = Path(env_str("SANXIANG_LEDGER_TILE_DIR") or str(VAR_DIR / "ledger" / "tiles"))

# 执法文书 (sanxiang.documents): the public address printed in each document's QR code (its /verify/
# link), LibreOffice for the PDF, and the fonts: the templates name the GB/T 9704 faces (仿宋_GB2312,
# 方正小标宋简体, 黑体, 楷体_GB2312); each is mapped to an installed family, "仿宋_GB2312=AR PL UKai CN,…"
# (an agency with licensed 方正 fonts maps each name to itself).
SANXIANG_PUBLIC_URL = env_str("SANXIANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
SANXIANG_SOFFICE = env_str("SANXIANG_SOFFICE", "soffice")
# The resident converter (sanxiang/documents/pdfserver.py) runs under the Python that has LibreOffice's
# uno module (Debian python3-uno); empty: every PDF starts LibreOffice once (seconds, not a fraction).
# It starts with the first PDF and stops after SANXIANG_PDF_SERVER_IDLE_S seconds without one.
SANXIANG_UNO_PYTHON = env_str("SANXIANG_UNO_PYTHON", "/usr/bin/python3")
SANXIANG_PDF_SERVER_IDLE_S = env_int("SANXIANG_PDF_SERVER_IDLE_S", 600)
SANXIANG_PDF_SERVER_START_S = env_int("SANXIANG_PDF_SERVER_START_S", 120)
SANXIANG_DOCUMENT_FONTS = dict(
    item.split("=", 1)
    for item in env_list(
        "SANXIANG_DOCUMENT_FONTS",
        [
            "仿宋_GB2312=AR PL UKai CN",
            "方正小标宋简体=Noto Serif CJK SC",
            "黑体=Noto Sans CJK SC",
            "楷体_GB2312=AR PL UKai CN",
            "宋体=Noto Serif CJK SC",
        ],
    )
)

# Every API list uses the one pagination (a bare @paginate too).
NINJA_PAGINATION_CLASS = "sanxiang.api.pagination.Pagination"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail (the supervision app's alert digest). Console backend unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "三项制度平台 <noreply@sanxiang.local>")
# The address of the staff site in mails (links in the alert digest).
SANXIANG_SITE_URL = env_str("SANXIANG_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
