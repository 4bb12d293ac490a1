"""The API's blueprints: flask-smorest's, with a JSON parser that never fails with a 500 and
one way to document an endpoint's error answers."""

import json

import flask_smorest
from webargs.flaskparser import FlaskParser

from app.core.schemas import ErrorEnvelope
from app.errors import MESSAGES


class Parser(FlaskParser):
    """webargs' parser for Flask, for whom a body nested deeper than Python's JSON decoder
    can follow is invalid JSON (400), like any other body it cannot read."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:
            raise json.JSONDecodeError("Nested too deeply", "(the body)", 0) from error


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint; ``error_descriptions`` words the error answers of all its
    endpoints (see :meth:`errors`)."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, error_descriptions: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_descriptions = error_descriptions or {}

    def errors(self, *statuses: int, descriptions: dict[int, str] | None = None):
        """Document the error answers an endpoint can give, each with the error envelope.

        Each status is described by ``descriptions`` (this endpoint's words), else by the
        blueprint's ``error_descriptions``, else by its default message
        (:data:`app.errors.MESSAGES`).
        """
        wording = {**MESSAGES, **self.error_descriptions, **(descriptions or {})}

        def decorate(view):
            for status in statuses:
                view = self.alt_response(status, schema=ErrorEnvelope,
                                         description=wording[status])(view)
            return view
        return decorate
