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
    for account in showcase(accounts):
        click.echo(f"  {account['nip']}  {account['role']:<18} {account['name']}"
                   f" ({account['org']})")


def showcase(accounts: list[dict]) -> list[dict]:
    """Each organisation's head, the first organisation's HR administrator, one pegawai and
    *their* atasan, so the two accounts tried side by side work together."""
    first = accounts[0]["org"]
    pegawai = next(a for a in accounts if a["role"] == "pegawai" and a["org"] == first)
    atasan = next(a for a in accounts if a["nip"] == pegawai["supervisor"])
    admin = next(a for a in accounts if a["role"] == "admin_kepegawaian")
    heads = [a for a in accounts if a["role"] == "pimpinan"]
    return [heads[0], admin, pegawai, atasan, *heads[1:]]
