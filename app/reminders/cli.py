"""flask worker (the task queue's consumer) and flask send-reminders."""

import logging
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from app.extensions import db


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option("--no-periodic", is_flag=True,
              help="Do not schedule periodic tasks (give this to every worker but one).")
@with_appcontext
def worker(workers, no_periodic):
    """Run the task queue: web pushes and, every minute, the reminders that are due."""
    from huey.consumer_options import ConsumerConfig

    from app.core.queue import create_consumer, huey, queue_description, quiet_outages

    if huey.immediate:
        raise click.ClickException("The queue is in immediate mode (QUEUE_IMMEDIATE/TESTING).")
    from app.reminders.tasks import TICK_LOCK

    # A worker killed during a reminder tick leaves the tick's lock behind. huey flushes
    # only the locks it has met in this process, and a lock taken inside a task is met at
    # its first run: name it, or every tick after a restart would be skipped.
    config = ConsumerConfig(workers=workers, worker_type="thread", periodic=not no_periodic,
                            flush_locks=True, extra_locks=TICK_LOCK)
    config.validate()
    logging.getLogger("huey").setLevel(logging.INFO)  # the app's handler shows it
    quiet_outages()
    click.echo(f"Kinerjaku worker: {queue_description()}, {workers} threads"
               f"{'' if not no_periodic else ', no periodic tasks'}")
    # Redis may be down when the worker starts (or restarts): wait for it, never exit.
    create_consumer(config.values).run()


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("Use ISO 8601, e.g. 2026-11-23T15:30:00+07:00",
                                 param_hint="--at") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Only print what would be sent.")
@click.option("--at", "at", metavar="ISO", help="Pretend it is this moment (default: now; "
                                                 "without an offset, UTC).")
@with_appcontext
def send_reminders(dry_run, at):
    """Send the reminders due now (each exactly once), or list them with --dry-run."""
    from app.org.models import Person
    from app.reminders import services

    now = _moment(at)
    if dry_run:
        dues = services.due_reminders(now)
        for due in dues:
            text = services.message(due)
            click.echo(f"would send {due.kind.value} [{due.key}] to {due.name} "
                       f"(#{due.person_id}): {text['title']}")
        click.echo(f"{len(dues)} reminders due at {now.isoformat()} (dry run, nothing sent).")
        return
    sent = services.send_due(now)
    names = dict(db.session.execute(db.select(Person.id, Person.name).where(
        Person.id.in_({s.person_id for s in sent}))).all()) if sent else {}
    for item in sent:
        click.echo(f"sent {item.kind.value} [{item.key}] to {names.get(item.person_id)} "
                   f"(#{item.person_id}), notification {item.notification_id}")
    click.echo(f"{len(sent)} reminders sent at {now.isoformat()}.")
