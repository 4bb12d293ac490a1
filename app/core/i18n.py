"""Language and time zone per request: Bahasa Indonesia unless the person or browser says else."""

from flask import current_app, has_request_context, request
from flask_login import current_user


def select_locale() -> str:
    config = current_app.config
    if not has_request_context():  # CLI commands and jobs speak the default language
        return config["BABEL_DEFAULT_LOCALE"]
    languages = config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get("lang")
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.timezone
    return None
