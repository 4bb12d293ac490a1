"""Form posts of the pages: load the form with the API's schema, run the action, and on
failure hand back the messages per field, with nothing of the action kept.

A page answers a failed post either with the form again (422, what was typed kept) or with a
message and a redirect (303). The request's unit of work (:mod:`app.core.uow`) would commit
that redirect, so :func:`post_form` rolls the action back itself.
"""

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask import flash, request
from flask_babel import gettext as _

from app.errors import AppError, flatten_messages
from app.extensions import db


def load_form(schema: ma.Schema) -> dict:
    """Load a posted form with the API's schema: empty means absent, numbers typed as such.

    Whole numbers become ``int`` (the schema is strict, so "3.5" still fails there) and a
    decimal comma becomes a point ("12,5").
    """
    data = {}
    for name, schema_field in schema.fields.items():
        if name not in request.form:
            continue
        value = request.form[name].strip()
        if value == "":
            if schema_field.allow_none:
                data[name] = None
            continue
        if isinstance(schema_field, ma.fields.Integer) and value.isdigit():
            value = int(value)
        elif isinstance(schema_field, ma.fields.Decimal):
            value = value.replace(",", ".")
        data[name] = value
    return schema.load(data)


def all_but(*statuses: int) -> frozenset[int]:
    """Every error status except ``statuses``: ``raise_for`` of a page that shows only those."""
    return frozenset(range(400, 600)).difference(statuses)


@dataclass
class Posted:
    """What a form post came to: the action's result, or the error and its messages."""

    result: Any = None
    #: The ValidationError or AppError that stopped the post.
    error: Exception | None = None
    #: Per-field messages (``_form`` for the form as a whole).
    errors: dict = field(default_factory=dict)
    #: 422 for a schema error, else the AppError's own status.
    status: int = 200

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def message(self) -> str:
        """One message for a flash: the error's own, else its first field's."""
        own = getattr(self.error, "message", None)
        return own or next(iter(self.errors.values()), None) or _("That did not work.")

    def flash(self, done: str) -> None:
        """Tell how it went, for a page that answers with a redirect: ``done``, or why not."""
        if self.failed:
            flash(self.message, "error")
        else:
            flash(done, "success")


def post_form(action: Callable, schema: ma.Schema | None = None, *, data: dict | None = None,
              errors: dict | None = None, raise_for: Container[int] = (404,)) -> Posted:
    """Run a form post: ``action(args)`` with the form loaded by ``schema`` (from ``data``
    when given, else the posted form through :func:`load_form`), or ``action()`` without one.

    ``errors`` are messages the view found itself: they join the schema's, and the action does
    not run. A ValidationError or AppError (from the schema or the action) rolls back what the
    action did and comes back as :class:`Posted`; an AppError whose status is in ``raise_for``
    propagates, to the error page.
    """
    errors = dict(errors or {})
    try:
        if schema is None:
            return Posted(action())
        args = schema.load(data) if data is not None else load_form(schema)
        if errors:
            raise ma.ValidationError(errors)
        return Posted(action(args))
    except ma.ValidationError as error:
        db.session.rollback()
        return Posted(error=error, errors={**errors, **flatten_messages(error.messages)},
                      status=422)
    except AppError as error:
        if error.status in raise_for:
            raise
        db.session.rollback()
        posted = Posted(error=error, status=error.status)
        posted.errors = dict(error.fields) or {"_form": posted.message}
        return posted
