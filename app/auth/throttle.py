"""Failed sign-ins are throttled per NIP and per address, before any password is hashed."""

import re

from flask import current_app, g, request

from app.extensions import limiter


def nip_key() -> str:
    """The digits of the NIP being tried, from the JSON body or the form."""
    data = request.get_json(silent=True) if request.is_json else request.form
    nip = data.get("nip", "") if hasattr(data, "get") else ""
    return "nip:" + re.sub(r"\D", "", str(nip))[:18]


def _failed(response) -> bool:
    return response.status_code == 401


def login_limits(view):
    """Per NIP only failed attempts count; per address every attempt counts."""
    view = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_NIP"], key_func=nip_key,
                         deduct_when=_failed)(view)
    return limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"])(view)


#: Set on ``g`` by app.auth.activation when an activation failed for a wrong code or NIP.
ACTIVATION_FAILED = "kinerjaku_activation_failed"


def _activation_failed(response) -> bool:
    return bool(g.get(ACTIVATION_FAILED))


def activation_limits(view):
    """As for signing in: per NIP only wrong codes count; per address every attempt."""
    view = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_NIP"], key_func=nip_key,
                         deduct_when=_activation_failed)(view)
    return limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"])(view)
