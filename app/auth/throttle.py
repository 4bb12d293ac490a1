"""Throttling of sign-ins and activations, so that guessing is slow but nobody is locked out.

A counter that only counts failures per account would let anyone lock an account by typing
wrong passwords for it. So the counters are (see docs/security.md, "Sign-in throttling"):

- per address, every attempt (LOGIN_LIMIT_PER_IP): one address cannot try many accounts;
- per (account, address), failed attempts (LOGIN_LIMIT_PER_NIP_IP): one address cannot guess
  one account's password;
- per account, failed attempts from every unknown device (LOGIN_LIMIT_PER_NIP): many
  addresses together cannot guess it either;
- per (account, known device), failed attempts (LOGIN_LIMIT_PER_DEVICE).

A *known device* holds a signed cookie set when that account last signed in on it. It is
exempt from the first three counters and only subject to its own, so the owner's phone still
signs in while an attacker hammers the account from elsewhere; while the account's counter is
exhausted, a known device's attempt is only slowed down (LOGIN_KNOWN_DEVICE_DELAY seconds).

Each action (signing in, activating) has its own counters, shared by the API and the pages.
A view wrapped in :func:`throttled` counts a failure when it called :func:`note_failure`.
"""

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import after_this_request, current_app, g, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

from app.errors import error_response
from app.extensions import limiter
from app.org.nip import normalise

logger = logging.getLogger(__name__)

#: Set on ``g`` when an attempt failed for a wrong password, code or NIP (what is counted).
ATTEMPT_FAILED = "kinerjaku_attempt_failed"
#: The name app.auth.activation knows it by.
ACTIVATION_FAILED = ATTEMPT_FAILED

DEVICE_COOKIE = "kinerjaku_device"
#: Accounts one device remembers (a shared office computer); the oldest is forgotten first.
DEVICE_ACCOUNTS = 5

#: Seam for the tests: how a known device is slowed down.
pause = time.sleep


def note_failure() -> None:
    """Count this request as a failed attempt (wrong password, code or NIP)."""
    setattr(g, ATTEMPT_FAILED, True)


def typed_nip() -> str:
    """The NIP being tried, from the JSON body or the form, as the account lookup sees it."""
    data = request.get_json(silent=True) if request.is_json else request.form
    nip = data.get("nip", "") if hasattr(data, "get") else ""
    return normalise(str(nip))[:40]


def account_tag(nip: str) -> str:
    """What the counters and the device cookie know of an account: not the NIP itself."""
    return hashlib.sha256(normalise(nip).encode()).hexdigest()[:20]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt="kinerjaku-known-device")


def _device_cookie() -> dict | None:
    """The valid, unexpired device cookie's content, or None."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    max_age = current_app.config["DEVICE_COOKIE_DAYS"] * 86400
    try:
        content = _serializer().loads(raw, max_age=max_age)
    except BadSignature:  # also an expired one
        return None
    if not isinstance(content, dict) or not isinstance(content.get("device"), str) \
            or not isinstance(content.get("accounts"), list):
        return None
    return content


def known_device(tag: str) -> str | None:
    """This device's id when it has signed in to the account ``tag`` before, else None."""
    content = _device_cookie()
    if content is None or tag not in content["accounts"]:
        return None
    return content["device"]


def remember_device(nip: str) -> None:
    """After a successful sign-in: mark this device as known for the account (a cookie)."""
    content = _device_cookie() or {"device": secrets.token_urlsafe(16), "accounts": []}
    tag = account_tag(nip)
    accounts = [tag] + [other for other in content["accounts"] if other != tag]
    value = _serializer().dumps({"device": content["device"],
                                 "accounts": accounts[:DEVICE_ACCOUNTS]})

    @after_this_request
    def set_cookie(response):
        response.set_cookie(DEVICE_COOKIE, value,
                            max_age=current_app.config["DEVICE_COOKIE_DAYS"] * 86400,
                            httponly=True, samesite="Strict", secure=request.is_secure)
        return response


@dataclass(frozen=True)
class Counter:
    """One rate limit (a setting such as "5 per 15 minutes") on one key."""

    setting: str
    key: tuple[str, ...]

    @property
    def item(self):
        return parse(current_app.config[self.setting])

    @property
    def identifiers(self) -> tuple[str, ...]:
        return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "attempts", *self.key)

    def allows(self) -> bool:
        """Whether one more attempt stays within the limit."""
        return limiter.limiter.test(self.item, *self.identifiers)

    def hit(self) -> None:
        limiter.limiter.hit(self.item, *self.identifiers)

    def seconds_left(self) -> int:
        """Seconds until the window that refuses now has passed (at least 1)."""
        reset_at = limiter.limiter.get_window_stats(self.item, *self.identifiers).reset_time
        return max(1, math.ceil(reset_at - time.time()))


@dataclass(frozen=True)
class Attempt:
    """The counters that apply to one attempt of ``action`` on the NIP typed."""

    action: str
    tag: str
    address: str
    device: str | None

    @classmethod
    def of_request(cls, action: str) -> "Attempt":
        tag = account_tag(typed_nip())
        return cls(action, tag, get_remote_address() or "", known_device(tag))

    def _counter(self, setting: str, *key: str) -> Counter:
        return Counter(setting, (self.action, *key))

    @property
    def per_address(self) -> Counter:
        return self._counter("LOGIN_LIMIT_PER_IP", "address", self.address)

    @property
    def per_account(self) -> Counter:
        return self._counter("LOGIN_LIMIT_PER_NIP", "account", self.tag)

    @property
    def failure_counters(self) -> list[Counter]:
        """What a failure of this attempt counts towards."""
        if self.device:
            return [self._counter("LOGIN_LIMIT_PER_DEVICE", "device", self.tag, self.device)]
        return [self._counter("LOGIN_LIMIT_PER_NIP_IP", "account-address", self.tag,
                              self.address), self.per_account]

    def admit(self) -> int:
        """0 to go ahead (a known device perhaps after a pause), else the seconds to wait.

        An unknown device's attempt counts towards its address's limit even when refused.
        """
        refusing = [counter for counter in self.failure_counters if not counter.allows()]
        if self.device is None:
            if not self.per_address.allows():
                refusing.append(self.per_address)
            self.per_address.hit()
        if refusing:
            return max(counter.seconds_left() for counter in refusing)
        if self.device and not self.per_account.allows():
            pause(current_app.config["LOGIN_KNOWN_DEVICE_DELAY"])  # under attack: slow down
        return 0

    def failed(self) -> None:
        for counter in self.failure_counters:
            counter.hit()
        logger.info("Failed %s for account %s from %s (%s device)", self.action, self.tag,
                    self.address, "known" if self.device else "unknown")

    def refused(self, seconds: int) -> None:
        logger.warning("Refused %s for account %s from %s for %d s (throttled)", self.action,
                       self.tag, self.address, seconds)


def too_many_attempts(seconds: int):
    """The API's answer to a refused attempt: 429 in the error envelope, with Retry-After."""
    return error_response(429, "too_many_requests", headers={"Retry-After": str(seconds)})


def throttled(action: str, refuse: Callable[[int], object] = too_many_attempts):
    """Decorate a sign-in or activation view: refuse it while throttled (``refuse(seconds)``
    builds the answer), count it when the view called :func:`note_failure`. GETs pass."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.method == "GET":
                return view(*args, **kwargs)
            attempt = Attempt.of_request(action)
            seconds = attempt.admit()
            if seconds:
                attempt.refused(seconds)
                response = refuse(seconds)
                response.headers["Retry-After"] = str(seconds)
                return response
            try:
                return view(*args, **kwargs)
            finally:
                if g.get(ATTEMPT_FAILED):
                    attempt.failed()
        return wrapper
    return decorate
