"""Keeping a flood out of the survey while a busy counter keeps counting.

One limit per address (20 answers an hour) stopped a service counter whose citizens all
answer on one tablet, or on their phones behind the office's one network. The survey is now
guarded by (docs/security.md, "Survey flood guard"):

- a **honeypot**: a field people never see; a form that fills it is thanked and dropped;
- a **one-time form token**: the form page hands out a signed token naming this device and
  this unit; an answer needs a valid one, and each token is taken once (so a replayed POST
  stores nothing) -- valid for ``SURVEY_FORM_TOKEN_HOURS``;
- **per device** (``SURVEY_LIMIT_PER_DEVICE``): the device is a signed random id in a
  cookie the form page sets; a counter's tablet answering for one citizen a minute stays
  well inside it;
- **per address, devices answering for the first time** (``SURVEY_LIMIT_NEW_DEVICES_PER_IP``):
  a script that drops its cookie to look like a new device each time is held to this;
  a device that has answered before (its cookie says so) is not counted here, so the
  counter's tablet is not refused because of a flood from its own network;
- **per unit** (``SURVEY_LIMIT_PER_UNIT``): a ceiling on what one unit receives.

The counters live in the rate limiter's storage (memory, or Redis at scale) as *moving*
windows: "90 per hour" means any 60 minutes, not a clock hour that lets a burst through at
each turn of the hour. They count answers stored; a refused answer counts nothing. The
window's clock is the app's ``time.time()`` (also against Redis), so tests move it.
"""

import logging
import math
import secrets
import time
from dataclasses import dataclass

from flask import after_this_request, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from limits import parse, parse_many
from limits.strategies import MovingWindowRateLimiter

from app.extensions import limiter

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "kinerjaku_survey_device"
DEVICE_COOKIE_DAYS = 400
#: The form field a person never sees (hidden by CSS and from assistive technology).
HONEYPOT = "website"
TOKEN_FIELD = "form_token"
#: Long enough to outlive any token: a token taken once stays taken.
_TAKEN = parse("1 per 2 days")


@dataclass(frozen=True)
class Device:
    id: str
    #: It has answered a survey before (not counted as a new device any more).
    answered: bool


def _device_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kinerjaku-survey-device")


def _token_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kinerjaku-survey-form")


def current_device() -> Device | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        content = _device_signer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("d"), str):
        return None
    return Device(content["d"], bool(content.get("a")))


def _set_device(device: Device) -> None:
    value = _device_signer().dumps({"d": device.id, "a": int(device.answered)})

    @after_this_request
    def set_cookie(response):
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 86400,
                            httponly=True, samesite="Lax", secure=request.is_secure)
        return response


def device_for_form() -> Device:
    """This browser's device, made (and its cookie set) when it has none."""
    device = current_device()
    if device is None:
        device = Device(secrets.token_urlsafe(16), False)
        _set_device(device)
    return device


def form_token(device: Device, unit_id: int) -> str:
    """A new one-time token for one answer from ``device`` to ``unit_id``."""
    return _token_signer().dumps({"d": device.id, "u": unit_id, "n": secrets.token_urlsafe(12)})


def check_token(token: str | None, device: Device | None, unit_id: int) -> str | None:
    """The token's nonce when it is valid for this device and unit and not too old."""
    if not token or device is None:
        return None
    max_age = int(current_app.config.get("SURVEY_FORM_TOKEN_HOURS", 4)) * 3600
    try:
        content = _token_signer().loads(token, max_age=max_age)
    except BadSignature:  # also an expired one
        return None
    if not isinstance(content, dict) or content.get("d") != device.id \
            or content.get("u") != unit_id or not isinstance(content.get("n"), str):
        return None
    return content["n"]


def _windows() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limiter.storage)


def _prefix() -> str:
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "")


def take_token(nonce: str) -> bool:
    """Take the token: True the first time, False when it was taken before."""
    return _windows().hit(_TAKEN, _prefix(), "survey-token", nonce)


@dataclass(frozen=True)
class Counter:
    setting: str
    key: tuple[str, ...]

    @property
    def items(self):
        return parse_many(current_app.config[self.setting])

    @property
    def identifiers(self) -> tuple[str, ...]:
        return (_prefix(), "survey", *self.key)

    def seconds_left(self) -> int:
        """0 while one more answer fits, else the seconds until it does."""
        waits, windows = [], _windows()
        for item in self.items:
            if not windows.test(item, *self.identifiers):
                reset = windows.get_window_stats(item, *self.identifiers).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        return max(waits, default=0)

    def hit(self) -> None:
        windows = _windows()
        for item in self.items:
            windows.hit(item, *self.identifiers)


def counters(device: Device, unit_id: int) -> list[Counter]:
    found = [Counter("SURVEY_LIMIT_PER_DEVICE", ("device", device.id)),
             Counter("SURVEY_LIMIT_PER_UNIT", ("unit", str(unit_id)))]
    if not device.answered:
        found.append(Counter("SURVEY_LIMIT_NEW_DEVICES_PER_IP",
                             ("new-device", get_remote_address() or "")))
    return found


def wait_for(device: Device, unit_id: int) -> int:
    """0 when an answer from ``device`` to ``unit_id`` may be stored now, else seconds."""
    return max((counter.seconds_left() for counter in counters(device, unit_id)), default=0)


def count_answer(device: Device, unit_id: int) -> None:
    """An answer was stored: count it, and remember this device has answered."""
    for counter in counters(device, unit_id):
        counter.hit()
    if not device.answered:
        _set_device(Device(device.id, True))
