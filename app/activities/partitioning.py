"""Monthly partitions of activities made ahead of time: the worker's daily task and
``flask partitions ensure`` (the partitions themselves: app/core/partitions.py)."""

import logging
from datetime import date

import click
from flask.cli import AppGroup
from huey import crontab

from app.core import partitions
from app.core.queue import periodic_task
from app.extensions import db

logger = logging.getLogger(__name__)

cli = AppGroup("partitions", help="Monthly partitions of activities (PostgreSQL).")


def ensure_ahead(months_ahead: int = partitions.MONTHS_AHEAD,
                 today: date | None = None) -> list[str]:
    """Create the partitions of this month and ``months_ahead`` months after it that are
    missing, each in its own short transaction; the names created. Nothing on SQLite."""
    today = today or date.today()
    with db.engine.connect() as connection:
        created = partitions.ensure(connection, today, months_ahead)
        if connection.in_transaction():
            connection.commit()
    return created


@periodic_task(crontab(minute="23", hour="1"), name="ensure_partitions")
def ensure_partitions():
    """Every day: the months ahead have their partitions long before anyone logs in them
    (a date past them lands in the default partition, moved out when its month is made)."""
    created = ensure_ahead()
    if created:
        logger.info("Partitions created: %s", ", ".join(created))


@cli.command("ensure")
@click.option("--months-ahead", default=partitions.MONTHS_AHEAD, show_default=True,
              type=click.IntRange(0, 120), help="Months after this one to create.")
def ensure_command(months_ahead):
    """Create the monthly partitions of activities from this month on (PostgreSQL)."""
    with db.engine.connect() as connection:
        if not partitions.is_partitioned(connection):
            click.echo("activities is not partitioned here (SQLite): nothing to do.")
            return
    created = ensure_ahead(months_ahead)
    click.echo(f"Created: {', '.join(created)}" if created else "Every partition exists.")
    with db.engine.connect() as connection:
        click.echo(f"Partitions: {', '.join(partitions.partitions(connection))}")


@cli.command("list")
def list_command():
    """List the partitions of activities and their row counts (PostgreSQL)."""
    import sqlalchemy as sa

    with db.engine.connect() as connection:
        if not partitions.is_partitioned(connection):
            click.echo("activities is not partitioned here (SQLite).")
            return
        for name in partitions.partitions(connection):
            rows = connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar()
            click.echo(f"{name}\t{rows}")
