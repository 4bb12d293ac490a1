"""flask auto-accept: run the organisations' automatic acceptance rule (schedule it daily)."""

import click
from flask.cli import with_appcontext

from app.core.uow import unit_of_work
from app.feedback.services import auto_accept_due
from app.models import utcnow


@click.command("auto-accept")
@with_appcontext
def auto_accept():
    """Accept submitted activities left unreviewed past their organisation's limit."""
    with unit_of_work():
        accepted = auto_accept_due(utcnow())
    click.echo(f"{len(accepted)} activities accepted automatically.")
