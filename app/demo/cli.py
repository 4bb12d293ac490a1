import json

import click
from flask.cli import with_appcontext

from app.demo.seed import seed_demo as run_seed


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print the demo accounts as JSON.")
@with_appcontext
def seed_demo(as_json):
    """Create the demo organisations and people (safe to run again)."""
    accounts = run_seed()
    if as_json:
        click.echo(json.dumps(accounts, ensure_ascii=False, indent=2))
        return
    click.echo(f"Demo ready: {len(accounts)} accounts. Try these (password "
               f"{accounts[0]['password']}):")
    shown = set()
    for account in accounts:
        if account["role"] not in shown or account["role"] == "pimpinan":
            shown.add(account["role"])
            click.echo(f"  {account['nip']}  {account['role']:<18} {account['name']}"
                       f" ({account['org']})")
