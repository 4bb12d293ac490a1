"""GET /me, people, units and acting supervisors, always within the caller's organisation
and line."""

from flask_login import current_user

from app.admin.access import admin_only, require_change
from app.core.blueprint import Blueprint
from app.org import admin, lines, services
from app.org.schemas import (
    ActingArgs,
    ActingIn,
    ActingOut,
    MeOut,
    PersonAdminOut,
    PersonIn,
    PersonListArgs,
    PersonOut,
    PersonPageOut,
    PersonPatch,
    PreferencesIn,
    UnitIn,
    UnitOut,
    UnitPatch,
)

blp = Blueprint("org_api", __name__, url_prefix="", description="The caller, people and units",
                error_descriptions={403: "Not an HR administrator"})


@blp.get("/me")
@blp.response(200, MeOut)
def me():
    """The signed-in person: unit (with its path and time zone), supervisor and roles."""
    return current_user


@blp.patch("/me")
@blp.arguments(PreferencesIn)
@blp.response(200, MeOut)
def update_me(args):
    """Change personal preferences (the UI language; null follows the browser)."""
    current_user.locale = args["locale"]
    return current_user


@blp.get("/people")
@blp.arguments(PersonListArgs, location="query")
@blp.response(200, PersonPageOut)
@blp.errors(404, descriptions={404: "unit_id is not a unit of the caller's organisation"})
def list_people(args):
    """People the caller may see, by name, a page at a time: HR administrators and pimpinan
    the whole organisation, anyone else themself, their supervisor and the line below them.

    Without ``active``, active and deactivated people are both listed."""
    return admin.page_of_people(current_user, **args)


@blp.post("/people")
@admin_only
@blp.arguments(PersonIn)
@blp.response(201, PersonAdminOut)
@blp.errors(403, 409, 422, descriptions={
    409: "The NIP is already registered (in this or another organisation)"})
def create_person(args):
    """Add a person (HR administrators). They have no password yet: they activate their
    account with a code the administrator gives them."""
    require_change()
    return admin.create_person(current_user, **args)


@blp.get("/people/<int:person_id>")
@blp.response(200, PersonOut)
@blp.errors(404, descriptions={404: "Not found or not visible"})
def get_person(person_id):
    return services.get_person(current_user, person_id)


@blp.patch("/people/<int:person_id>")
@admin_only
@blp.arguments(PersonPatch)
@blp.response(200, PersonAdminOut)
@blp.errors(403, 404, 409, 422, descriptions={
    404: "Not a person of the caller's organisation",
    409: "The NIP is already registered to someone else",
    422: "Invalid field, or a supervisor that would make the reporting line loop"})
def update_person(args, person_id):
    """Edit a person (HR administrators): details, unit, supervisor, roles; ``active``
    false deactivates (they can no longer sign in, their history stays), true reactivates."""
    require_change()
    person = admin.get_person(current_user, person_id)
    return admin.update_person(current_user, person, args)


@blp.get("/units")
@blp.response(200, UnitOut(many=True))
def list_units():
    """The caller's organisation's unit tree, flat, parents referenced by id."""
    return services.units_of(current_user.org_id)


@blp.get("/units/<int:unit_id>")
@blp.response(200, UnitOut)
@blp.errors(404)
def get_unit(unit_id):
    return services.get_unit(current_user, unit_id)


@blp.post("/units")
@admin_only
@blp.arguments(UnitIn)
@blp.response(201, UnitOut)
@blp.errors(403, 422, descriptions={422: "Invalid field, a code in use, an unknown parent"})
def create_unit(args):
    """Add a unit to the organisation's tree (HR administrators)."""
    require_change()
    return admin.create_unit(current_user, **args)


@blp.patch("/units/<int:unit_id>")
@admin_only
@blp.arguments(UnitPatch)
@blp.response(200, UnitOut)
@blp.errors(403, 404, 422, descriptions={
    404: "Not a unit of the caller's organisation",
    422: "Invalid field, a move that would loop, or deactivating a unit with active people"})
def update_unit(args, unit_id):
    """Rename, move, set the time zone of, deactivate or reactivate a unit (HR
    administrators)."""
    require_change()
    unit = admin.get_unit(current_user, unit_id)
    return admin.update_unit(current_user, unit, args)


@blp.get("/acting-assignments")
@blp.arguments(ActingArgs, location="query")
@blp.response(200, ActingOut(many=True))
def list_acting(args):
    """Acting supervisors (Plt/Plh): all of the organisation for HR administrators, otherwise
    those naming the caller."""
    return lines.list_acting(current_user, active_on=args.get("active_on"))


@blp.post("/acting-assignments")
@admin_only
@blp.arguments(ActingIn)
@blp.response(201, ActingOut)
@blp.errors(403)
def create_acting(args):
    """Appoint an acting supervisor: for the dates, they review the replaced supervisor's
    line (see, comment, approve, return)."""
    assignment = lines.create_acting(current_user, **args)
    return assignment


@blp.delete("/acting-assignments/<int:assignment_id>")
@admin_only
@blp.response(204)
@blp.errors(404, descriptions={404: "Not in the caller's organisation"})
def delete_acting(assignment_id):
    lines.delete_acting(current_user, assignment_id)
