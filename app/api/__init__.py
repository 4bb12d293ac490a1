"""The /api/v1 plumbing: OpenAPI document, docs page, error envelope. Domains own endpoints."""

import swagger_ui_bundle
from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from flask import Blueprint, render_template, send_from_directory
from flask_smorest import Api

from app.core.schemas import ErrorEnvelope
from app.errors import handle_http_exception


class JsonApi(Api):
    """flask-smorest with our error envelope, documented and used for every error."""

    ERROR_SCHEMA = ErrorEnvelope

    def handle_http_exception(self, error):
        return handle_http_exception(error)


def schema_name(schema) -> str:
    """The component name of a schema; one narrowed with ``only`` is named after its fields
    (``PersonBrief`` and ``PersonBriefIdName``), so one schema serves several shapes."""
    name = resolver(schema)
    only = None if isinstance(schema, type) else getattr(schema, "only", None)
    if only:
        name += "".join(part.title().replace("_", "") for part in sorted(only))
    return name


api = JsonApi(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(
    schema_name_resolver=schema_name)})

docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@docs_bp.get("/docs")
def docs():
    """Swagger UI over our own openapi.json, with its assets served from this server, under
    the app's own policy: its stylesheet is a file of ours, and the styles React sets through
    the DOM (``element.style``) are not inline styles to CSP, so nothing needs relaxing."""
    return render_template("api/docs.html")


@docs_bp.get("/docs/assets/<path:filename>")
def docs_asset(filename):
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


def register_api(app):
    from app.absences.api import blp as absences_blp
    from app.activities.api import blp as activities_blp
    from app.audit.api import blp as audit_blp
    from app.auth.accounts_api import blp as accounts_blp
    from app.auth.api import blp as auth_blp
    from app.dashboards.api import blp as dashboards_blp
    from app.documents.api import blp as documents_blp
    from app.evaluations.api import blp as evaluations_blp
    from app.feedback.api import blp as feedback_blp
    from app.followup.api import blp as followup_blp
    from app.notifications.api import blp as notifications_blp
    from app.org.api import blp as org_blp
    from app.org.imports.api import blp as imports_blp
    from app.reminders.api import blp as reminders_blp
    from app.reports.api import blp as reports_blp
    from app.targets.api import blp as targets_blp

    api.init_app(app, spec_kwargs={
        "info": {"description": "Kinerjaku: daily performance log for ASN (PermenPANRB 6/2022)."},
        "components": {"securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "kinerjaku_session"},
            "bearer": {"type": "http", "scheme": "bearer"},
        }},
        "security": [{"session": []}, {"bearer": []}],
    })
    for blp in (auth_blp, org_blp, targets_blp, activities_blp, reports_blp, feedback_blp,
                notifications_blp, reminders_blp, evaluations_blp,
                documents_blp, absences_blp):
        api.register_blueprint(blp, url_prefix="/api/v1" + blp.url_prefix)
    api.register_blueprint(dashboards_blp, url_prefix="/api/v1" + dashboards_blp.url_prefix)
    for blp in (accounts_blp, imports_blp, audit_blp, followup_blp):
        api.register_blueprint(blp, url_prefix="/api/v1" + blp.url_prefix)
    app.register_blueprint(docs_bp)
