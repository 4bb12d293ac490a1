"""Language and time zone per request: Bahasa Indonesia unless the person or browser says else."""

from flask import current_app, has_request_context, request
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept

#: The three Indonesian time zones: WIB, WITA, WIT.
TIME_ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def select_locale() -> str:
    config = current_app.config
    if not has_request_context():  # CLI commands and jobs speak the default language
        return config["BABEL_DEFAULT_LOCALE"]
    return choose_locale(current_user.locale if current_user.is_authenticated else None,
                         request.cookies.get("lang"), request.accept_languages)


def choose_locale(person_locale: str | None, cookie: str | None,
                  accepted: LanguageAccept) -> str:
    """The person's choice, else the ``lang`` cookie, else the browser's, else the default."""
    config = current_app.config
    languages = config["LANGUAGES"]
    for choice in (person_locale, cookie):
        if choice in languages:
            return choice
    return accepted.best_match(languages) or config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.timezone
    return None
