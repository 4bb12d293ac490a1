"""The API's blueprints: flask-smorest's, with a JSON parser that never fails with a 500."""

import json

import flask_smorest
from webargs.flaskparser import FlaskParser


class Parser(FlaskParser):
    """webargs' parser for Flask, for whom a body nested deeper than Python's JSON decoder
    can follow is invalid JSON (400), like any other body it cannot read."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:
            raise json.JSONDecodeError("Nested too deeply", "(the body)", 0) from error


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()
