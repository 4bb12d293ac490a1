"""Configuration layers: defaults here, then ``instance/config.py``, then the environment.

The defaults work on a clean clone with nothing else running: SQLite in the instance folder,
in-memory rate limits. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

#: Settings that may come from the environment, with the type they are parsed to.
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "DATABASE_REPLICA_URL": str,
    "REPLICA_MAX_LAG_SECONDS": float,
    "REPLICA_CHECK_SECONDS": float,
    "DATABASE_POOL_MODE": str,
    "DATABASE_PLAN_CACHE_MODE": str,
    "REDIS_URL": str,
    "SESSION_COOKIE_SECURE": bool,
    "PROXY_FIX": int,
    "MAX_CONTENT_LENGTH": int,
    "LOGIN_LIMIT_PER_NIP": str,
    "LOGIN_LIMIT_PER_IP": str,
    "LOGIN_LIMIT_PER_NIP_IP": str,
    "LOGIN_LIMIT_PER_DEVICE": str,
    "LOGIN_KNOWN_DEVICE_DELAY": float,
    "SURVEY_LIMIT_PER_DEVICE": str,
    "SURVEY_LIMIT_NEW_DEVICES_PER_IP": str,
    "SURVEY_LIMIT_PER_UNIT": str,
    "EVIDENCE_FOLDER": str,
    "EVIDENCE_MAX_BYTES": int,
    "EXPORT_FOLDER": str,
    "EXPORT_DIRECT_MAX_ROWS": int,
    "EXPORT_KEEP_DAYS": int,
    "IMPORT_FOLDER": str,
    "IMPORT_BACKGROUND_ROWS": int,
    "IMPORT_KEEP_DAYS": int,
    "DOCUMENT_FONT_DIR": str,
    "SSE_HEARTBEAT": float,
    "NOTIFY_CHANNEL_PREFIX": str,
    "QUEUE_FILE": str,
    "VAPID_PRIVATE_KEY_FILE": str,
    "VAPID_SUBJECT": str,
    "ACTIVATION_CODE_DAYS": int,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
}


class Defaults:
    SECRET_KEY = None  # generated into instance/config.py on first run
    DATABASE_URL = None  # None: SQLite file in the instance folder
    REDIS_URL = None  # None: in-process broker, in-memory rate limits

    #: A streaming replica of DATABASE_URL (PostgreSQL), optional: dashboards, recaps,
    #: exports and documents read from it while it is up and no further behind than
    #: REPLICA_MAX_LAG_SECONDS; checked at most every REPLICA_CHECK_SECONDS per process.
    #: Writes, and reads after a write, stay on the primary (app.core.replica).
    DATABASE_REPLICA_URL = None
    REPLICA_MAX_LAG_SECONDS = 10.0
    REPLICA_CHECK_SECONDS = 2.0
    #: "transaction" when the app reaches PostgreSQL through PgBouncer in transaction
    #: pooling mode: psycopg then prepares no statement (PgBouncer 1.18 cannot keep them
    #: across transactions). "session" (the default): direct, or pool_mode = session.
    DATABASE_POOL_MODE = "session"
    #: PostgreSQL's plan_cache_mode for the app's connections (session mode; in transaction
    #: mode nothing is prepared). psycopg prepares the statements a process runs again and
    #: again; with the default ("auto") PostgreSQL plans them afresh on every run whenever
    #: a plan for the values at hand looks cheaper, which it always does on the monthly
    #: partitions of activities (a generic plan is costed over every partition, though its
    #: executor prunes them). Planning then costs more than running: measured with
    #: bench/run.py, 2.1-2.4 ms of database CPU per create with "auto", 0.8-1.0 ms with
    #: "force_generic_plan"; the team recap over 1,000,000 rows 29 ms and 9 ms. "" keeps
    #: the server's setting.
    DATABASE_PLAN_CACHE_MODE = "force_generic_plan"

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SESSION_COOKIE_NAME = "kinerjaku_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: False: Secure is still set on every request that arrived over HTTPS (see core.security).
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    #: The cookie is written only when the session changes (sign-in, a message, sign-out):
    #: requests running side by side (the service worker's background fetches, the page's
    #: own calls) must not put back an older copy of it over a newer one. Idle time and
    #: lifetime are kept on the server (app.auth.services.person_for_session).
    SESSION_REFRESH_EACH_REQUEST = False
    #: A login session unused for this long is refused.
    SESSION_IDLE_TIMEOUT = timedelta(days=14)
    #: Number of trusted proxies in front of the app (X-Forwarded-For/Proto), 0 for none.
    PROXY_FIX = 0

    MAX_CONTENT_LENGTH = 12 * 1024 * 1024

    WTF_CSRF_CHECK_DEFAULT = False  # checked in core.security, after bearer tokens
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    #: Sign-in and activation throttling (app.auth.throttle, docs/security.md): every
    #: attempt per address; failed attempts per (account, address) and per account from
    #: unknown devices; failed attempts per (account, known device).
    LOGIN_LIMIT_PER_IP = "30 per minute"
    LOGIN_LIMIT_PER_NIP_IP = "5 per 15 minutes"
    LOGIN_LIMIT_PER_NIP = "20 per hour"
    LOGIN_LIMIT_PER_DEVICE = "10 per 15 minutes"
    #: Seconds a known device's attempt waits while its account's own counter is exhausted.
    LOGIN_KNOWN_DEVICE_DELAY = 1.0
    #: Days a device stays known after its last sign-in (the signed device cookie).
    DEVICE_COOKIE_DAYS = 180
    #: The citizen survey (app.citizen.throttle, docs/security.md): answers per device
    #: (a counter's tablet serves one citizen a minute), answers per address from devices
    #: that never answered before (a script dropping its cookie), answers per unit.
    SURVEY_LIMIT_PER_DEVICE = "12 per 10 minutes; 90 per hour"
    SURVEY_LIMIT_NEW_DEVICES_PER_IP = "20 per hour"
    SURVEY_LIMIT_PER_UNIT = "600 per hour"
    #: Hours a survey form's one-time token stays valid.
    SURVEY_FORM_TOKEN_HOURS = 4

    #: argon2id cost: above OWASP's floor (m=19 MiB, t=2, p=1), about 60 ms on our machines.
    ARGON2_TIME_COST = 4
    ARGON2_MEMORY_COST = 19456
    ARGON2_PARALLELISM = 1

    #: Phones on 3G: every text answer goes out compressed (brotli where the browser takes it).
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "application/manifest+json", "image/svg+xml"]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 500
    #: Streams (the live event stream) must flush as they go, never buffered for compression.
    COMPRESS_STREAMS = False

    #: Live stream (GET /api/v1/stream): seconds between keepalive comments, which keep
    #: proxies from closing an idle stream and notice clients that went away.
    SSE_HEARTBEAT = 15
    #: Milliseconds a browser waits before reconnecting (the stream's ``retry:`` line).
    SSE_RETRY_MS = 3000
    #: Seconds a transaction raising notifications may stay open. A resume replays every row
    #: created up to this long before the client's last event, so a row whose id is older
    #: but which committed later is not lost (the cursor trap, DESIGN.md).
    NOTIFY_REPLAY_HORIZON = 300
    #: At most this many notifications are replayed on a reconnect (the newest).
    NOTIFY_REPLAY_LIMIT = 200
    #: Events queued for one stream before it is told to resync from the database.
    NOTIFY_QUEUE_SIZE = 256
    #: Without Redis, events raised in another process (the task worker's reminders) reach an
    #: open stream by reading the database this often, in seconds.
    NOTIFY_POLL_SECONDS = 5
    #: Redis pub/sub channel per person: <prefix><person id>.
    NOTIFY_CHANNEL_PREFIX = "kinerjaku:notify:"

    #: Web Push. The VAPID private key: None means instance/vapid_private.pem, created on
    #: first use. The subject tells push services whom to contact (mailto: or https:).
    VAPID_PRIVATE_KEY_FILE = None
    VAPID_SUBJECT = "mailto:admin@localhost"
    PUSH_ENABLED = True
    #: Seconds to wait for a push service; sends to that many devices at once.
    PUSH_TIMEOUT = 10
    PUSH_CONCURRENCY = 32
    #: Accept http:// and local endpoints (tests with a local fake push service only).
    PUSH_ALLOW_INSECURE_ENDPOINTS = False

    #: Days an activation code (a first password or a reset) stays valid.
    ACTIVATION_CODE_DAYS = 14

    #: Outgoing e-mail, optional: with no MAIL_SERVER nothing is ever sent by e-mail (codes
    #: go on paper). MAIL_USE_TLS asks for STARTTLS; a user name turns on SMTP AUTH.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "kinerjaku@localhost"
    #: Seconds to wait for the SMTP server.
    MAIL_TIMEOUT = 10

    #: Task queue (app.core.queue): SQLite in this file (None: instance/queue.sqlite3), or
    #: Redis when REDIS_URL is set. QUEUE_IMMEDIATE None: immediate (in memory) in tests only.
    QUEUE_FILE = None
    QUEUE_IMMEDIATE = None

    #: Bulk imports (app.org.imports): uploads kept for their job (None: instance/imports),
    #: files with more rows run in the background, unapplied previews kept this many days.
    IMPORT_FOLDER = None
    IMPORT_BACKGROUND_ROWS = 2000
    IMPORT_KEEP_DAYS = 2

    API_TITLE = "Kinerjaku API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


def from_environment(environ=os.environ) -> dict:
    """Read the settings named in ``ENV_SETTINGS`` from the environment."""
    values = {}
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        if kind is bool:
            values[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif kind is int:
            values[name] = int(raw)
        elif kind is float:
            values[name] = float(raw)
        else:
            values[name] = raw
    return values


def ensure_instance_config(instance_path: str) -> Path:
    """Create ``instance/config.py`` with a fresh SECRET_KEY unless it exists already.

    Uses an exclusive create, so two processes starting at once cannot both write it.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.py"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w") as handle:
        handle.write(
            "# Generated on first run. Keep it secret; it is not part of the repository.\n"
            f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
        )
    return path


def database_uri(config: dict, instance_path: str, name: str = "DATABASE_URL") -> str | None:
    """SQLAlchemy URI from DATABASE_URL (or the setting ``name``), defaulting to SQLite in
    the instance folder for DATABASE_URL and to None for any other."""
    url = config.get(name)
    if not url:
        if name != "DATABASE_URL":
            return None
        return "sqlite:///" + str(Path(instance_path) / "kinerjaku.sqlite3")
    # Accept the common postgres:// and postgresql:// spellings; we drive psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
