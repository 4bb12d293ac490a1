"""Shapes of the notification centre and the stream's query."""

import base64
import binascii
import ipaddress
from urllib.parse import urlsplit

import marshmallow as ma
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app

from app.core.schemas import Schema, UtcDateTime


class NotificationListArgs(Schema):
    unread = ma.fields.Boolean(metadata={"description": "true: unread only; false: read only"})
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class NotificationOut(Schema):
    id = ma.fields.Integer(metadata={"description": "Also the SSE event id"})
    kind = ma.fields.String(metadata={"description": "comment, approved, returned, feedback, "
                                                     "reminder or digest"})
    title = ma.fields.String()
    body = ma.fields.String()
    url = ma.fields.String(metadata={"description": "Where a tap leads (a path in the app)"})
    data = ma.fields.Dict(metadata={"description": "What an open page needs to update itself"})
    created_at = ma.fields.String(metadata={"description": "UTC, ISO 8601 with Z"})
    read = ma.fields.Boolean()


class ReadAllOut(Schema):
    updated = ma.fields.Integer(metadata={"description": "How many were unread"})
    unread = ma.fields.Integer()


class StreamArgs(Schema):
    last_event_id = ma.fields.Integer(
        strict=False, validate=ma.validate.Range(min=0),
        metadata={"description": "Resume after this event id (the Last-Event-ID header wins)"})


# ---- Web Push ------------------------------------------------------------------------------

def _b64url_bytes(value: str) -> bytes:
    if not isinstance(value, str) or not value or not all(
            c.isalnum() or c in "-_=" for c in value):
        raise ma.ValidationError("Not valid base64url.")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as error:
        raise ma.ValidationError("Not valid base64url.") from error


def _check_p256dh(value: str) -> None:
    raw = _b64url_bytes(value)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as error:
        raise ma.ValidationError("Not a P-256 public key.") from error
    if len(raw) != 65:
        raise ma.ValidationError("Not a P-256 public key.")


def _check_auth(value: str) -> None:
    if len(_b64url_bytes(value)) != 16:
        raise ma.ValidationError("The auth secret must be 16 bytes.")


def _check_endpoint(value: str) -> None:
    """A push service's https URL; never a local or private address (the server posts there).

    Tests with a local fake push service set PUSH_ALLOW_INSECURE_ENDPOINTS.
    """
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if current_app.config.get("PUSH_ALLOW_INSECURE_ENDPOINTS") and parts.scheme in (
            "http", "https") and host:
        return
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise ma.ValidationError("Enter the push service's https URL.")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(".localhost") or "." not in host:
            raise ma.ValidationError("Enter the push service's https URL.") from None
        return
    raise ma.ValidationError("Enter the push service's https URL.")


class PushKeys(Schema):
    p256dh = ma.fields.String(required=True, validate=[ma.validate.Length(max=200),
                                                       _check_p256dh],
                              metadata={"description": "The device's P-256 key, base64url"})
    auth = ma.fields.String(required=True, validate=[ma.validate.Length(max=100), _check_auth],
                            metadata={"description": "The 16-byte auth secret, base64url"})


class PushSubscriptionIn(Schema):
    """``PushSubscription.toJSON()`` as the browser gives it."""

    endpoint = ma.fields.String(required=True, validate=[ma.validate.Length(min=8, max=1000),
                                                         _check_endpoint])
    keys = ma.fields.Nested(PushKeys, required=True)
    expirationTime = ma.fields.Integer(  # noqa: N815 - the browser's own spelling
        allow_none=True, strict=True, load_only=True,
        metadata={"description": "Ignored (browsers send null)"})


class PushEndpointIn(Schema):
    endpoint = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class PushSubscriptionOut(Schema):
    id = ma.fields.Integer()
    endpoint = ma.fields.String()
    user_agent = ma.fields.String()
    created_at = UtcDateTime()
    last_success_at = UtcDateTime(allow_none=True)
    failures = ma.fields.Integer()


class PublicKeyOut(Schema):
    public_key = ma.fields.String(metadata={
        "description": "applicationServerKey for pushManager.subscribe: the VAPID public key "
                       "as an uncompressed P-256 point, base64url"})
