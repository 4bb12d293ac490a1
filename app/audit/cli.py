import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.audit.services import verify_organisation
from app.extensions import db
from app.org.models import Organisation


@click.command("audit-verify")
@with_appcontext
def audit_verify():
    """Verify every person's audit chain, per organisation; exits 1 if any entry was tampered
    with (altered, missing, inserted or reordered)."""
    failed = False
    for org in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        result = verify_organisation(org.id)
        problems = result.problems
        status = "OK" if not problems else "BROKEN"
        click.echo(f"{org.slug}: {result.entries} entries, {status} "
                   f"({result.chains} people's chains)")
        for problem in problems:
            click.echo(f"  {problem}")
        failed = failed or bool(problems)
    raise SystemExit(1 if failed else 0)
