"""Kinerjaku: the application factory."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Defaults, database_uri, ensure_instance_config, from_environment
from app.core.uow import UnitOfWorkApp

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then ``overrides``."""
    app = UnitOfWorkApp(__name__, instance_relative_config=True,
                        template_folder=str(ROOT / "templates"),
                        static_folder=str(ROOT / "static"), static_url_path="/static")
    configure(app, overrides or {})
    register_extensions(app)
    register_security(app)
    register_routing(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_notifications(app)
    register_queue(app)
    wrap_wsgi(app)
    return app


def wrap_wsgi(app: Flask) -> None:
    """Middleware around the app: the create lane, behind the proxy fix-up (so it sees the
    client's scheme as the app does)."""
    from app.activities.lane import CreateLane

    app.wsgi_app = CreateLane(app, app.wsgi_app)
    if app.config["PROXY_FIX"]:
        count = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def configure(app: Flask, overrides: dict) -> None:
    app.config.from_object(Defaults)
    if not overrides.get("TESTING"):
        ensure_instance_config(app.instance_path)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set; see README.md")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config, app.instance_path)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"timeout": 15}, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    else:
        from app.core.replica import configure_engines

        configure_engines(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("app").setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    # Import every domain's models so metadata (and Alembic) sees all tables.
    from app.absences import models as _absences_models  # noqa: F401
    from app.activities import models as _activities_models  # noqa: F401
    from app.audit import models as _audit_models  # noqa: F401
    from app.auth import models as _auth_models  # noqa: F401
    from app.citizen import models as _citizen_models  # noqa: F401
    from app.core.i18n import select_locale, select_timezone
    from app.dashboards import models as _dashboards_models  # noqa: F401
    from app.documents import models as _documents_models  # noqa: F401
    from app.evaluations import models as _evaluations_models  # noqa: F401
    from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from app.feedback import models as _feedback_models  # noqa: F401
    from app.followup import models as _followup_models  # noqa: F401
    from app.followup import receivers as _followup_receivers  # noqa: F401
    from app.notifications import models as _notifications_models  # noqa: F401
    from app.org import models as _org_models  # noqa: F401
    from app.reminders import models as _reminders_models  # noqa: F401
    from app.targets import models as _targets_models  # noqa: F401

    db.init_app(app)
    from app.core.partitions import include_object

    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True, include_object=include_object)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(ROOT / "app" / "translations"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _tune_sqlite(db.engine)


def _tune_sqlite(engine) -> None:
    from sqlalchemy import event

    from app.core.uow import serialise_sqlite_writes

    serialise_sqlite_writes(engine)

    @event.listens_for(engine, "connect")
    def set_pragmas(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


def register_security(app: Flask) -> None:
    """Who is asking (auth), then may they (core: sign-in requirement, CSRF, headers)."""
    from app.auth.login import init_auth
    from app.core.replica import init_replica
    from app.core.security import init_security

    init_auth(app)
    init_security(app)
    init_replica(app)


def register_routing(app: Flask) -> None:
    from app.core.routing import init_routing

    init_routing(app)


def register_blueprints(app: Flask) -> None:
    from app.absences.views import bp as absences_bp
    from app.activities.views import bp as activities_bp
    from app.admin.settings import bp as settings_bp
    from app.admin.views import bp as admin_bp
    from app.api import register_api
    from app.audit.views import bp as audit_bp
    from app.auth.accounts import bp as accounts_bp
    from app.auth.views import bp as auth_bp
    from app.citizen.views import bp as citizen_bp
    from app.dashboards.views import bp as dashboards_bp
    from app.documents.views import bp as documents_bp
    from app.evaluations.views import bp as evaluations_bp
    from app.feedback.views import bp as feedback_bp
    from app.followup.views import bp as followup_bp
    from app.home.views import bp as home_bp
    from app.notifications.views import bp as notifications_bp
    from app.org.imports.views import bp as imports_bp
    from app.pwa.views import bp as pwa_bp
    from app.reminders.views import bp as reminders_bp
    from app.targets.views import bp as targets_bp

    for blueprint in (auth_bp, home_bp, pwa_bp, targets_bp, activities_bp, feedback_bp,
                      notifications_bp, reminders_bp, evaluations_bp,
                      documents_bp, absences_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(citizen_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(followup_bp)
    for blueprint in (admin_bp, accounts_bp, imports_bp, settings_bp, audit_bp):
        app.register_blueprint(blueprint)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from app.activities.partitioning import cli as partitions_cli
    from app.audit.cli import audit_verify
    from app.demo.cli import seed_demo
    from app.feedback.cli import auto_accept
    from app.notifications.cli import vapid_keys
    from app.org.cli import create_org
    from app.reminders.cli import send_reminders, worker

    app.cli.add_command(seed_demo)
    app.cli.add_command(audit_verify)
    app.cli.add_command(auto_accept)
    app.cli.add_command(vapid_keys)
    app.cli.add_command(worker)
    app.cli.add_command(send_reminders)
    app.cli.add_command(create_org)
    app.cli.add_command(partitions_cli)


def register_notifications(app: Flask) -> None:
    """The live-event broker (in-process, or Redis with REDIS_URL) and the badge helper."""
    from app.notifications.broker import init_notifications
    from app.notifications.views import inject_notification_summary

    init_notifications(app)
    app.context_processor(inject_notification_summary)


def register_queue(app: Flask) -> None:
    """The task queue (SQLite by default, Redis with REDIS_URL) and every domain's tasks: web
    push after commit, the reminder clock, automatic acceptance, exports."""
    from app.activities import partitioning as _partition_tasks  # noqa: F401
    from app.core.queue import init_queue
    from app.documents import jobs as _export_tasks  # noqa: F401
    from app.feedback import tasks as _feedback_tasks  # noqa: F401
    from app.notifications.tasks import init_push
    from app.reminders import tasks as _reminder_tasks  # noqa: F401

    init_queue(app)
    init_push(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and the navigation (core), then what each domain adds to every page."""
    from app.activities import templating as activities_templating
    from app.core import templating
    from app.navigation import ENTRIES
    from app.org import templating as org_templating

    templating.set_navigation(ENTRIES)
    templating.init_templating(app)
    org_templating.init_templating(app)
    activities_templating.init_templating(app)
