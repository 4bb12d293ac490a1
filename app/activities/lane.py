"""The fast lane: the plainest POST /api/v1/activities, answered without the framework.

Most creates are alike: a phone or a script with an access token sends one new activity with
its own client id, and nothing about it needs more than one read (whose token is it) and one
statement (the checks, the activity and its audit entry). For those, Flask's per-request
machinery (the request and its hooks, the view's argument and answer wrappers, loading the
person as ORM objects, the session) costs more than the work itself. This WSGI middleware
answers them directly, with the same schema, the same rules, the same statement and the same
answer (``tests/activities/test_lane.py`` holds them equal), and hands every other request to
the app untouched, with the body it read put back.

It takes a request only when all of these hold, and otherwise the app answers it:

* ``POST`` to the create URL, ``Content-Type: application/json``, a body of known length
  within ``MAX_CONTENT_LENGTH``, and ``Authorization: Bearer`` with an access token;
* the body passes :class:`ActivityCreateIn` and carries a client ``id`` (so a create is
  idempotent: should anything fail before the write, the app's answer is a replay, never a
  second activity), and is a draft;
* the token is live and unexpired, its person active, and its last-used time recent (the app
  writes it once a minute);
* the fast path's one statement wrote, committing by itself (see
  :func:`services.fastpath.create` for what it declines: replays, changed rules, someone
  else's target, a rule broken). A statement that declines writes nothing. Overlap warnings
  are worded in the language the app would choose.

Nothing here may make the lane answer differently from the app: the same headers, compressed
as the app's compressor would. The app's rate limits do not apply to the create (a test
checks it stays so), nor CSRF (a bearer token is not a cookie).
"""

import io
import json
import logging
import os

from flask import Flask
from flask_compress.flask_compress import _choose_algorithm, _compress_data
from marshmallow import ValidationError
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from app.activities.schemas import API_PREFIX, ActivityCreateIn, activity_out
from app.activities.services import CONTENT_FIELDS, fastpath
from app.auth.services import token_holder
from app.core.i18n import choose_locale
from app.core.prepared import own_connection
from app.core.replica import wrote_cookie
from app.core.security import fixed_headers
from app.extensions import compress, db
from app.models import utcnow

logger = logging.getLogger(__name__)

PATH = f"{API_PREFIX}/activities"


class CreateLane:
    """WSGI middleware in front of ``app``'s own WSGI callable (``wsgi_app``)."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.schema = ActivityCreateIn()
        self.limit = app.config["MAX_CONTENT_LENGTH"]
        self.open = None  # known at the first request: PostgreSQL only
        if os.environ.get("KINERJAKU_CREATE_LANE") == "off":  # to measure the app without it
            self.open = False

    def __call__(self, environ, start_response):
        if self.open is False or environ["REQUEST_METHOD"] != "POST" \
                or environ.get("PATH_INFO") != PATH \
                or not environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ") \
                or not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return self.wsgi_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return self.wsgi_app(environ, start_response)
        if not 0 < length <= self.limit:
            return self.wsgi_app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        answer = self._create(environ, body)
        if answer is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.wsgi_app(environ, start_response)
        payload = answer.encode()
        headers = [("Content-Type", "application/json"),
                   *fixed_headers(environ.get("wsgi.url_scheme") == "https", private=True),
                   ("Vary", "Cookie, Accept-Encoding")]
        # Compressed as the app's compressor would (phones on slow networks).
        algorithm = _choose_algorithm(compress.enabled_algorithms,
                                      environ.get("HTTP_ACCEPT_ENCODING", ""))
        if algorithm is not None and len(payload) >= self.app.config["COMPRESS_MIN_SIZE"]:
            payload = _compress_data(self.app, payload, algorithm)
            headers.append(("Content-Encoding", algorithm))
        headers.append(("Content-Length", str(len(payload))))
        wrote = wrote_cookie(environ.get("wsgi.url_scheme") == "https", self.app)
        if wrote is not None:  # as the app's own answer to a write (app.core.replica)
            headers.append(("Set-Cookie", wrote))
        start_response("201 CREATED", headers)
        return [payload]

    def _create(self, environ, body: bytes) -> str | None:
        """The created activity as JSON, or None: then the app answers (nothing was written,
        or, should something fail after the write, the app's answer is a replay)."""
        try:
            args = self.schema.load(json.loads(body))
        except (ValueError, ValidationError, RecursionError):  # the app says what is wrong
            return None
        if "id" not in args or args.get("status", "draft") != "draft":
            return None
        token = environ["HTTP_AUTHORIZATION"][len("Bearer "):]
        try:
            with self.app.app_context():
                if self.open is None:
                    self.open = db.engine.dialect.name == "postgresql"
                    if not self.open:
                        return None
                now = utcnow()
                with own_connection():
                    holder = token_holder(token, now)
                    if holder is None:
                        return None
                    fields = {name: args.get(name) for name in CONTENT_FIELDS}
                    saved = fastpath.create(holder, str(args["id"]), fields, now, alone=True,
                                            language=lambda: self._language(environ, holder))
                if saved is None:
                    return None
                return json.dumps(activity_out(saved.activity, saved.warnings),
                                  separators=(",", ":"))
        except Exception:
            logger.exception("The create lane failed; the app answers instead")
            return None

    @staticmethod
    def _language(environ, holder) -> str:
        """The locale the app would choose for this request (``core.i18n``)."""
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        return choose_locale(holder.locale, parse_cookie(environ).get("lang"), accepted)
