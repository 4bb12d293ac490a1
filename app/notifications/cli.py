"""flask vapid-keys: make sure the VAPID key exists and print its public half."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.notifications import push


@click.command("vapid-keys")
@with_appcontext
def vapid_keys():
    """Create the VAPID key on first use and print the applicationServerKey."""
    path = push.key_path()
    existed = path.exists()
    key = push.application_server_key()
    click.echo(f"{'Using' if existed else 'Created'} the VAPID private key {path}", err=True)
    click.echo(f"Subject: {current_app.config['VAPID_SUBJECT']}", err=True)
    click.echo(key)
