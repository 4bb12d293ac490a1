"""GET /me, people, units and acting supervisors, always within the caller's organisation
and line."""

from flask_login import current_user

from app.core.blueprint import Blueprint
from app.extensions import db
from app.org import lines, services
from app.org.models import Person
from app.org.schemas import (
    ActingArgs,
    ActingIn,
    ActingOut,
    MeOut,
    PersonListArgs,
    PersonOut,
    PreferencesIn,
    UnitOut,
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
@blp.response(200, PersonOut(many=True))
def list_people(args):
    """People the caller may see: themself, their supervisor and the line below them."""
    query = services.people_visible_to(current_user).order_by(Person.name, Person.id)
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return page.items


@blp.get("/people/<int:person_id>")
@blp.response(200, PersonOut)
@blp.errors(404, descriptions={404: "Not found or not visible"})
def get_person(person_id):
    return services.get_person(current_user, person_id)


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


@blp.get("/acting-assignments")
@blp.arguments(ActingArgs, location="query")
@blp.response(200, ActingOut(many=True))
def list_acting(args):
    """Acting supervisors (Plt/Plh): all of the organisation for HR administrators, otherwise
    those naming the caller."""
    return lines.list_acting(current_user, active_on=args.get("active_on"))


@blp.post("/acting-assignments")
@blp.arguments(ActingIn)
@blp.response(201, ActingOut)
@blp.errors(403)
def create_acting(args):
    """Appoint an acting supervisor: for the dates, they review the replaced supervisor's
    line (see, comment, approve, return)."""
    assignment = lines.create_acting(current_user, **args)
    return assignment


@blp.delete("/acting-assignments/<int:assignment_id>")
@blp.response(204)
@blp.errors(404, descriptions={404: "Not in the caller's organisation"})
def delete_acting(assignment_id):
    lines.delete_acting(current_user, assignment_id)
