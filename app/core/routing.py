"""URL converters: an id in a path that no database row can have matches no route (404)."""

from werkzeug.routing import IntegerConverter

from app.core.schemas import MAX_INT


class IdConverter(IntegerConverter):
    """``<int:...>`` within PostgreSQL's ``integer``: a larger number is not found, rather than
    an overflow in the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def init_routing(app) -> None:
    """Install the converters; call before any blueprint is registered."""
    app.url_map.converters["int"] = IdConverter
