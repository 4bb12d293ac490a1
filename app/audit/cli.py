import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.audit.services import verify_chain
from app.extensions import db
from app.org.models import Organisation


@click.command("audit-verify")
@with_appcontext
def audit_verify():
    """Verify every organisation's audit chain; exits 1 if any entry was tampered with."""
    failed = False
    for org in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        checked, problems = verify_chain(org.id)
        status = "OK" if not problems else "BROKEN"
        click.echo(f"{org.slug}: {checked} entries, {status}")
        for problem in problems:
            click.echo(f"  {problem}")
        failed = failed or bool(problems)
    raise SystemExit(1 if failed else 0)
