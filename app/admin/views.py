"""The administration pages: the landing page, units and people.

HR administrators change; pimpinan see the same pages without forms (their posts are 403).
Forms are loaded with the API's schemas and run the API's services (:mod:`app.org.admin`):
a refused post shows the form again with what was typed and a message per field.
"""

import re

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin.access import may_change, require_change, require_view
from app.admin.sections import SECTIONS
from app.core.forms import post_form
from app.core.i18n import TIME_ZONES
from app.extensions import db
from app.org import admin, services
from app.org.models import Person, PositionKind, Role
from app.org.nip import normalise
from app.org.schemas import GOLONGAN, PeoplePageArgs, PersonIn, PersonPatch, UnitIn, UnitPatch

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 25
STATUS_FILTER = {"aktif": True, "nonaktif": False, "semua": None}
ROLE_LABELS = {Role.PEGAWAI: _l("Employee"), Role.ATASAN: _l("Supervisor"),
               Role.ADMIN: _l("HR administrator"), Role.PIMPINAN: _l("Head of agency")}
KIND_LABELS = {PositionKind.JPT: _l("High leadership (JPT)"),
               PositionKind.ADMINISTRATOR: _l("Administrator"),
               PositionKind.PENGAWAS: _l("Supervisory (pengawas)"),
               PositionKind.PELAKSANA: _l("Staff (pelaksana)"),
               PositionKind.FUNGSIONAL: _l("Functional (fungsional)")}


@bp.get("")
def index():
    """What an HR administrator (or pimpinan, read-only) can look after, one card each."""
    require_view()
    return render_template("admin/index.html", sections=SECTIONS,
                           may_change=may_change(current_user))


# --- units -----------------------------------------------------------------------------------

def _units_page(form=None, errors=None, status=200):
    units = services.units_of(current_user.org_id)
    children = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    return render_template(
        "admin/units.html", children=children, units=units, zones=TIME_ZONES,
        counts=admin.unit_people_counts(current_user.org_id), form=form or {},
        errors=errors or {}, may_change=may_change(current_user)), status


@bp.get("/unit")
def units():
    """The organisation's unit tree with its people counts and zones; the form to add one."""
    require_view()
    return _units_page()


@bp.post("/unit")
def create_unit():
    require_change()
    posted = post_form(lambda args: admin.create_unit(current_user, **args), UnitIn(),
                       raise_for=())
    if posted.failed:
        return _units_page(request.form.to_dict(), posted.errors, posted.status)
    flash(_("Unit %(name)s added.", name=posted.result.name), "success")
    return redirect(url_for("admin.units"), 303)


@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id):
    """Edit a unit: code, name, parent (moving it with its people), time zone."""
    require_view()
    found = admin.get_unit(current_user, unit_id)
    context = {"unit": found, "zones": TIME_ZONES, "may_change": may_change(current_user),
               "parents": [u for u in services.units_of(current_user.org_id) if u.active]}
    if request.method == "GET":
        form = {"code": found.code, "name": found.name, "parent_id": found.parent_id,
                "timezone": found.timezone}
        return render_template("admin/unit.html", form=form, errors={}, **context)
    require_change()
    posted = post_form(lambda args: admin.update_unit(current_user, found, args), UnitPatch())
    if posted.failed:
        return render_template("admin/unit.html", form=request.form.to_dict(),
                               errors=posted.errors, **context), posted.status
    flash(_("Unit saved."), "success")
    return redirect(url_for("admin.units"), 303)


def _set_status(update, found, schema, deactivated: str, reactivated: str):
    """Run a deactivate/reactivate button (``active`` false or true) through ``update``
    with the ``active`` field of ``schema``, then say how it went (a flash)."""
    posted = post_form(lambda args: update(current_user, found, args),
                       schema(only=("active",)))
    posted.flash(reactivated if found.active else deactivated)


@bp.post("/unit/<int:unit_id>/status")
def unit_status(unit_id):
    """Deactivate (refused while active people remain in or below it) or reactivate."""
    require_change()
    found = admin.get_unit(current_user, unit_id)
    _set_status(admin.update_unit, found, UnitPatch, _("Unit deactivated."),
                _("Unit reactivated."))
    return redirect(url_for("admin.units"), 303)


# --- people ----------------------------------------------------------------------------------

@bp.get("/pegawai")
def people():
    """Search the organisation's people by name or NIP, by unit and status, a page at a time."""
    require_view()
    query = {key: value for key, value in request.args.items() if value.strip()}
    args = PeoplePageArgs().load(query)
    found = admin.page_of_people(current_user, page=args["page"], per_page=PER_PAGE,
                                 q=args.get("q"), unit_id=args.get("unit_id"),
                                 active=STATUS_FILTER[args["status"]])
    return render_template("admin/people.html", found=found, args=args, query=query,
                           units=services.units_of(current_user.org_id),
                           may_change=may_change(current_user))


def _supervisor_id(text: str):
    """The supervisor typed or picked as "NIP — name" (or a NIP alone): their id, None for
    nobody, or False when no one of the organisation has that NIP."""
    match = re.match(r"\s*([\d .]+)", text or "")
    if not text.strip():
        return None
    nip = normalise(match.group(1)) if match else ""
    found = db.session.scalar(sa.select(Person.id).where(
        Person.nip == nip, Person.org_id == current_user.org_id))
    return found if found is not None else False


def _person_post(schema, save):
    """Run a person form (every field, new or edited) through ``schema`` and ``save``; the
    supervisor comes as text."""
    data = _form_values(schema)
    supervisor = _supervisor_id(request.form.get("supervisor", ""))
    errors = {}
    if supervisor is False:
        errors["supervisor_id"] = _("No one in this organisation has this NIP.")
    else:
        data["supervisor_id"] = supervisor
    posted = post_form(save, schema, data=data, errors=errors, raise_for=())
    if "supervisor_id" in posted.errors:
        posted.errors["supervisor"] = posted.errors.pop("supervisor_id")
    return posted


def _form_values(schema) -> dict:
    """The form's fields as the schema takes them (see :func:`app.core.forms.load_form`):
    roles from their checkboxes, empty optional text as none."""
    fields = {name: field for name, field in schema.fields.items()
              if name not in ("roles", "supervisor_id")}
    values = {}
    for name, field in fields.items():
        value = request.form.get(name, "").strip()
        if value:
            values[name] = int(value) if name == "unit_id" and value.isdigit() else value
        elif field.allow_none:
            values[name] = None
    values["roles"] = request.form.getlist("roles")
    return values


def _person_page(template, person=None, form=None, errors=None, status=200):
    return render_template(
        f"admin/{template}", person=person, form=form or {}, errors=errors or {},
        units=[u for u in services.units_of(current_user.org_id)
               if u.active or (person and u.id == person.unit_id)],
        kinds=KIND_LABELS, role_labels=ROLE_LABELS, golongan=GOLONGAN,
        may_change=may_change(current_user),
        accounts="accounts.index" in current_app.view_functions), status


def _typed(person_form: dict) -> dict:
    """What was typed, to show again (roles as the list of checked boxes)."""
    return {**person_form, "roles": request.form.getlist("roles")}


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def new_person():
    """Add a person; they activate their account with a code from the administrator."""
    require_change()
    if request.method == "GET":
        return _person_page("person.html", form={"roles": [Role.PEGAWAI.value]})
    posted = _person_post(PersonIn(), lambda args: admin.create_person(current_user, **args))
    if posted.failed:
        return _person_page("person.html", form=_typed(request.form.to_dict()),
                            errors=posted.errors, status=posted.status)
    flash(_("%(name)s added. Give them an activation code to sign in.",
            name=posted.result.name), "success")
    return redirect(url_for("admin.person", person_id=posted.result.id), 303)


def _person_values(person) -> dict:
    supervisor = person.supervisor
    return {"nip": person.nip, "name": person.name, "jabatan": person.jabatan,
            "position_kind": person.position_kind.value, "golongan": person.golongan,
            "unit_id": person.unit_id, "email": person.email,
            "supervisor": f"{supervisor.nip} — {supervisor.name}" if supervisor else "",
            "roles": sorted(role.value for role in person.roles)}


@bp.route("/pegawai/<int:person_id>", methods=["GET", "POST"])
def person(person_id):
    """A person's details: all fields, the supervisor, roles, status and activation."""
    require_view()
    found = admin.get_person(current_user, person_id)
    if request.method == "GET":
        return _person_page("person.html", found, _person_values(found))
    require_change()
    posted = _person_post(PersonIn(),
                          lambda args: admin.update_person(current_user, found, args))
    if posted.failed:
        return _person_page("person.html", found, _typed(request.form.to_dict()),
                            posted.errors, posted.status)
    flash(_("Saved."), "success")
    return redirect(url_for("admin.person", person_id=found.id), 303)


@bp.post("/pegawai/<int:person_id>/status")
def person_status(person_id):
    """Deactivate (they can no longer sign in; history stays) or reactivate a person."""
    require_change()
    found = admin.get_person(current_user, person_id)
    _set_status(admin.update_person, found, PersonPatch,
                _("%(name)s deactivated.", name=found.name),
                _("%(name)s reactivated.", name=found.name))
    return redirect(url_for("admin.person", person_id=found.id), 303)
