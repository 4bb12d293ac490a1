"""One error hierarchy and one envelope.

Under ``/api`` every error answers ``{"error": {"code", "message", "fields"}}`` with the right
status; pages get an HTML error page in the same words. Never a stack trace.
"""

import logging
import time

import psycopg
from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger(__name__)

#: Machine-readable codes for the HTTP statuses we answer with.
STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests",
    500: "internal_error", 503: "unavailable",
}


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is defined; it is translated where it is said."""
    return text


#: What each error status means, in English: an error's message when it brings none of its
#: own (said in the user's language), and its description in the API's documentation.
MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in first."),
    403: N_("You are not allowed to do this."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This item was changed elsewhere."),
    413: N_("The upload is too large."),
    415: N_("Send the data as JSON (Content-Type: application/json)."),
    422: N_("Some fields need attention."),
    429: N_("Too many attempts. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. Your data is safe; please try again."),
    503: N_("The service is busy. Please try again shortly."),
}


def _default_message(status: int) -> str:
    return _(MESSAGES.get(status, N_("Something went wrong.")))


class AppError(Exception):
    """A failure the user should hear about, with a status, a code and per-field reasons."""

    status = 400
    code = "bad_request"

    def __init__(self, message=None, *, fields=None, code=None, status=None, extra=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.code = code or self.code
        self.status = status or self.status
        self.extra = extra or {}


class NotFound(AppError):
    status, code = 404, "not_found"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class Conflict(AppError):
    """409; ``extra={"current": ...}`` carries the server's version of the item."""

    status, code = 409, "conflict"


class ValidationFailed(AppError):
    status, code = 422, "invalid"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


#: marshmallow's own messages, said again in the UI language (matched by their start).
SCHEMA_MESSAGES = (
    ("Missing data for required field", _l("This field is required.")),
    ("Field may not be null", _l("This field is required.")),
    ("Unknown field", _l("This field is not expected here.")),
    ("Not a valid integer", _l("Enter a whole number.")),
    ("Not a valid number", _l("Enter a number.")),
    ("Not a valid string", _l("Enter text.")),
    ("Not a valid boolean", _l("Choose yes or no.")),
    ("Not a valid date", _l("Enter a valid date.")),
    ("Not a valid time", _l("Enter a valid time.")),
    ("Not a valid UUID", _l("Enter a valid identifier (UUID).")),
    ("Must be one of", _l("Choose one of the allowed values.")),
    ("Shorter than minimum length", _l("This field is too short.")),
    ("Longer than maximum length", _l("This field is too long.")),
    ("Length must be between", _l("The length of this field is not allowed.")),
    ("Must be greater than or equal to", _l("The value is outside the allowed range.")),
    ("Must be less than or equal to", _l("The value is outside the allowed range.")),
    ("Invalid input type", _l("The data must be a JSON object.")),
)


def _say(message) -> str:
    text = str(message)
    for start, translated in SCHEMA_MESSAGES:
        if text.startswith(start):
            return str(translated)
    return text


def flatten_messages(messages, prefix="") -> dict:
    """Flatten marshmallow/webargs messages to ``{"field.sub": "first message"}``.

    webargs nests them under the location (``{"json": {...}}``); that level is dropped.
    """
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files",
                                                          "headers", "view_args"} and not prefix:
        merged = {}
        for value in messages.values():
            merged.update(flatten_messages(value))
        return merged
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict, list)) and not _is_message_list(value):
                flat.update(flatten_messages(value, name))
            elif isinstance(value, list):
                flat[name] = _say(value[0])
            else:
                flat[name] = _say(value)
    elif isinstance(messages, list) and messages:
        flat[prefix or "_schema"] = _say(messages[0])
    return flat


def _is_message_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def error_response(status: int, code: str, message: str | None = None, fields=None,
                   headers=None, extra=None):
    message = message or _default_message(status)
    if wants_json():
        body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
        body["error"].update(extra or {})
        response = jsonify(body)
        response.status_code = status
    else:
        html = render_template("errors/error.html", status=status, message=message,
                               fields=fields or {})
        response = current_app.response_class(html, status=status, mimetype="text/html")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def handle_app_error(error: AppError):
    return error_response(error.status, error.code, error.message, error.fields,
                          extra=error.extra)


def handle_http_exception(error: HTTPException):
    if isinstance(error, RateLimitExceeded):
        return handle_rate_limit(error)
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error.original_exception
                                 if isinstance(error, InternalServerError) else error)
    data = getattr(error, "data", None) or {}
    fields = flatten_messages(data.get("messages") or data.get("errors") or {})
    if isinstance(error, CSRFError):
        return error_response(400, "csrf_failed", _(
            "The security token is missing or expired. Reload the page and try again."))
    message = data.get("message")
    headers = {k: v for k, v in error.get_headers() if k.lower() == "allow"}
    if status == 405 and "Allow" not in headers and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, STATUS_CODES.get(status, "error"), message, fields, headers)


def handle_rate_limit(error: RateLimitExceeded):
    from app.extensions import limiter

    window = limiter.current_limit
    if window is not None:
        retry_after = max(1, int(window.reset_at - time.time()))
    else:
        retry_after = int(error.limit.limit.get_expiry())
    return error_response(429, "too_many_requests", None,
                          headers={"Retry-After": str(retry_after)},
                          extra={"retry_after": retry_after})


def handle_validation_error(error: ValidationError):
    return error_response(422, "invalid", None, flatten_messages(error.messages))


def handle_data_error(error: DataError):
    """A value the database refuses to store (a NUL character on PostgreSQL, a number out of
    range): the request's data is at fault, not the server. Its transaction is rolled back
    already (app.core.uow)."""
    logger.warning("The database refused a value on %s %s: %s", request.method, request.path,
                   error.orig)
    return error_response(422, "invalid")


def handle_integrity_error(error: IntegrityError):
    """A unique or foreign key the database enforced after the service's own check passed:
    another request won a race (two adds of the same day, a row deleted meanwhile). It is a
    conflict with the current state, not a server fault; the transaction is rolled back
    already (app.core.uow), so the client may simply retry."""
    logger.warning("Integrity conflict on %s %s: %s", request.method, request.path, error.orig)
    return error_response(409, "conflict")


#: Seconds a client should wait before trying again while the database is away.
RETRY_AFTER_OUTAGE = 5


def handle_database_unavailable(error: Exception):
    """The database refuses connections or dropped one (a restart, a failover, a full pool):
    503 with Retry-After, said without the database. The signed-in person is forgotten for
    the rest of the request, so that neither their language nor the page around the message
    (menu, badge) is looked up in the database that is away."""
    from app.extensions import login_manager

    logger.error("Database unavailable: %s", error)
    login_manager._update_request_context_with_user(None)
    return error_response(503, "unavailable", None,
                          headers={"Retry-After": str(RETRY_AFTER_OUTAGE)},
                          extra={"retry_after": RETRY_AFTER_OUTAGE})


def handle_unexpected(error):
    logger.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    return error_response(500, "internal_error")


def register_error_handlers(app):
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    # A pool with no connection left, and the driver's own error where statements run on
    # its connection directly (app.core.prepared), are the same outage.
    for outage in (OperationalError, PoolTimeout, psycopg.OperationalError):
        app.register_error_handler(outage, handle_database_unavailable)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
