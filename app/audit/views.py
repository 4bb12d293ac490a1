"""The audit viewer page: the trail filtered, paginated, exported; the chain verified.

The filter form is a GET form, so a filtered view is a link that can be shared or
bookmarked. A person is searched by name or NIP: one match filters the trail, several are
offered as choices (each a link that searches by that person's NIP).
"""

import marshmallow as ma
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin.access import require_view
from app.audit import viewer
from app.audit.export import max_rows
from app.audit.schemas import AuditPageArgs
from app.errors import flatten_messages

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

#: Trails up to this many entries are verified on every visit; a longer one (verifying
#: takes seconds per hundred thousand entries) when the reader asks for it.
DEFAULT_VERIFY_INLINE_MAX = 20_000

#: How the searched person is involved: the entries about their items, or what they did.
ROLES = {"about": _l("About this person's items"), "by": _l("Done by this person")}


class AuditPageForm(AuditPageArgs):
    """The page's filters: the API's, with a person searched by name or NIP."""

    q = ma.fields.String(validate=ma.validate.Length(max=100))
    role = ma.fields.String(load_default="about", validate=ma.validate.OneOf(list(ROLES)))


def _form_args() -> tuple[dict, dict]:
    """(the form's values, messages per field) from the query string; a value with a
    message is left out of the filter, so the rest still applies."""
    typed = {key: value.strip() for key, value in request.args.items()
             if key in AuditPageForm().fields or key in ("from", "to")}
    data = {key: value for key, value in typed.items() if value}
    try:
        return AuditPageForm().load(data, unknown=ma.EXCLUDE), {}
    except ma.ValidationError as error:
        errors = flatten_messages(error.messages)
        kept = {key: value for key, value in data.items() if key not in errors}
        try:
            return AuditPageForm().load(kept, unknown=ma.EXCLUDE), errors
        except ma.ValidationError:
            return AuditPageForm().load({}), errors


def _person_choice(args: dict) -> tuple[dict, dict]:
    """The person filter the search comes to: (API filter arguments, what to tell).

    ``chosen`` is the one person found; ``choices`` the people offered when several match;
    ``none`` when nobody matches (then the trail is not shown).
    """
    text = args.get("q")
    if not text:
        return {}, {}
    found = viewer.search_people(current_user, text)
    if len(found) != 1:
        return {}, {"choices": found[:viewer.SEARCH_LIMIT],
                    "more": len(found) > viewer.SEARCH_LIMIT, "none": not found}
    key = "actor_id" if args["role"] == "by" else "person_id"
    return {key: found[0].id}, {"chosen": found[0]}


def _export_params(filters: viewer.Filters) -> dict:
    """The export link's query for the same filters (the API's names)."""
    params = {key: value for key, value in vars(filters).items()
              if value is not None and key not in ("start", "end")}
    if filters.start:
        params["from"] = filters.start.isoformat()
    if filters.end:
        params["to"] = filters.end.isoformat()
    return params


def _verification(paging: dict) -> tuple[dict | None, str | None]:
    """(the chain verification, or None with the link that asks for it)."""
    limit = int(current_app.config.get("AUDIT_VERIFY_INLINE_MAX", DEFAULT_VERIFY_INLINE_MAX))
    if request.args.get("verify") == "1" or viewer.entry_count(current_user) <= limit:
        return viewer.verification_answer(current_user), None
    return None, url_for("audit.index", verify="1", **paging)


@bp.get("")
def index():
    """The trail with its filters, a page of entries, the export link and the banner with
    the chain verification."""
    require_view()
    args, errors = _form_args()
    person_filter, search = _person_choice(args)
    filters = viewer.Filters.of({**args, **person_filter})
    trail = None
    if not search or search.get("chosen"):
        trail = viewer.trail_page(current_user, filters, page=args["page"],
                                  per_page=args["per_page"])
    form = {key: request.args.get(key, "") for key in ("q", "item_type", "action", "from",
                                                        "to")}
    form["role"] = args["role"]
    paging = {key: value for key, value in form.items() if value}
    verification, verify_url = _verification(paging)
    return render_template(
        "audit/index.html", trail=trail, form=form, errors=errors, search=search,
        roles=ROLES, item_types=viewer.item_types(current_user), actions=viewer.actions(),
        verification=verification, verify_url=verify_url,
        export_url=url_for("audit_api.export", **_export_params(filters)),
        page_url=lambda page: url_for("audit.index", page=page, **paging),
        choose_url=lambda person: url_for("audit.index", **{**paging, "q": person.nip}),
        export_limit=max_rows(),
        title=_("Audit trail")), 422 if errors else 200
