"""Operator commands: ``flask create-org`` puts a new organisation into service."""

import json

import click
import marshmallow as ma
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.auth import activation
from app.core.i18n import TIME_ZONES
from app.core.schemas import Schema
from app.core.uow import unit_of_work
from app.errors import AppError, flatten_messages
from app.extensions import db
from app.org import services
from app.org.models import NO_PASSWORD, Organisation, PositionKind, Role

ROOT_UNIT_CODE = "INDUK"
ADMIN_ROLES = (Role.ADMIN, Role.PEGAWAI)


class CreateOrgIn(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    slug = ma.fields.String(required=True, validate=[
        ma.validate.Length(min=2, max=64),
        ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Use lower-case letters, digits "
                           "and single dashes, e.g. pemkot-surakarta.")])
    timezone = ma.fields.String(required=True)
    admin_nip = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    admin_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    admin_jabatan = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


def create_organisation(args: dict) -> dict:
    """The organisation, its root unit and first HR administrator (without a password), and
    the administrator's activation code; flushed, not committed. What the command prints."""
    services.check_timezone(args["timezone"])
    if db.session.scalar(sa.select(sa.exists().where(Organisation.slug == args["slug"]))):
        raise AppError(fields={"slug": _("This slug is already taken.")})
    org = services.create_organisation(args["slug"], args["name"], args["timezone"])
    root = services.create_unit(org, ROOT_UNIT_CODE, args["name"])
    admin = services.create_person(
        org, root, nip=args["admin_nip"], name=args["admin_name"],
        jabatan=args["admin_jabatan"], position_kind=PositionKind.PELAKSANA,
        password_hash=NO_PASSWORD, roles=ADMIN_ROLES)
    issued = activation.issue(admin, None)
    return {"organisation": {"id": org.id, "slug": org.slug, "name": org.name,
                             "timezone": org.timezone, "root_unit": root.code},
            "admin": {"id": admin.id, "nip": admin.nip, "name": admin.name,
                      "roles": sorted(role.value for role in ADMIN_ROLES)},
            "activation_code": issued.code,
            "expires_at": issued.expires_at.isoformat(timespec="seconds") + "Z"}


def _fail(messages: dict) -> None:
    for field, message in messages.items():
        click.echo(f"Error: {field}: {message}", err=True)
    raise SystemExit(1)


@click.command("create-org")
@click.option("--name", required=True, help="The organisation's name, e.g. Pemerintah Kota X.")
@click.option("--slug", required=True, help="Short unique key, e.g. pemkot-x.")
@click.option("--timezone", required=True, help=f"One of {', '.join(TIME_ZONES)}.")
@click.option("--admin-nip", required=True, help="The first HR administrator's NIP.")
@click.option("--admin-name", required=True, help="The first HR administrator's name.")
@click.option("--admin-jabatan", default="Pengelola Kepegawaian", show_default=True,
              help="The first HR administrator's position.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_appcontext
def create_org(as_json, **options):
    """Create an organisation with its root unit and first HR administrator, and print the
    administrator's one-time activation code. Nothing is written if anything is wrong."""
    try:
        args = CreateOrgIn().load(options)
        with unit_of_work():
            result = create_organisation(args)
    except ma.ValidationError as error:
        _fail(flatten_messages(error.messages))
    except AppError as error:
        _fail(dict(error.fields) or {"_": error.message})
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    org, admin = result["organisation"], result["admin"]
    click.echo(f"Organisation {org['name']} ({org['slug']}, {org['timezone']}) created.")
    click.echo(f"HR administrator: {admin['name']}, NIP {admin['nip']}.")
    click.echo(f"Activation code: {result['activation_code']} (valid until "
               f"{result['expires_at']}, once).")
    click.echo("Hand it over; they open /aktivasi, enter the NIP, the code and a new password.")
