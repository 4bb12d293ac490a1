"""Web Push fan-out: time to push 10,000 reminders to 10,000 devices (issue 6).

One reminder per person, one subscribed device each, all on a local fake push service
(tests/push/fakepush.py) that checks every VAPID signature and decrypts every message, as a
real push service and phone would. The time covered is the app's whole sending path:
``push_for_notifications(ids)`` reading the rows, encrypting (aes128gcm) and signing (VAPID)
per message, sending concurrently, and recording the outcome. The fake service shares the
machine's cores with the sender, so the figure is a floor. Throwaway SQLite database.

    .venv/bin/python bench/push.py [--messages 10000] [--concurrency 32] [--no-verify]
"""

import argparse
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import results as bench_results  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--no-verify", action="store_true",
                        help="the fake service skips VAPID checks and decryption")
    return parser.parse_args()


def seed(db, service, count: int) -> list[int]:
    """An organisation of ``count`` people, a device each, and a daily reminder each."""
    import sqlalchemy as sa

    from app.notifications.models import Notification, PushSubscription
    from app.org.models import Organisation, Person, Unit

    now = datetime.now(UTC).replace(tzinfo=None)
    session = db.session
    org_id = session.execute(sa.insert(Organisation).values(
        slug="bench", name="Pemerintah Kota Bench", timezone="Asia/Makassar",
        created_at=now, updated_at=now).returning(Organisation.id)).scalar_one()
    unit_id = session.execute(sa.insert(Unit).values(
        org_id=org_id, code="ROOT", name="Dinas Bench", timezone="Asia/Makassar",
        created_at=now, updated_at=now).returning(Unit.id)).scalar_one()
    ids = list(range(1, count + 1))
    session.execute(sa.insert(Person), [dict(
        id=pid, org_id=org_id, unit_id=unit_id, nip=f"19800101{pid:010d}",
        name=f"Pegawai {pid:05d}", jabatan="Analis", position_kind="pelaksana",
        golongan="III/a", password_hash="!bench", active=True, created_at=now,
        updated_at=now) for pid in ids])
    devices = [service.new_subscription() for _ in ids]
    session.execute(sa.insert(PushSubscription), [dict(
        org_id=org_id, person_id=pid, endpoint=d["endpoint"], p256dh=d["keys"]["p256dh"],
        auth=d["keys"]["auth"], user_agent="bench", created_at=now, failures=0)
        for pid, d in zip(ids, devices, strict=True)])
    session.execute(sa.insert(Notification), [dict(
        org_id=org_id, person_id=pid, kind="reminder", title="Belum ada aktivitas hari ini",
        body="Catat aktivitas Anda sebelum pukul 16.00 WITA.", url="/aktivitas/baru",
        data={"reminder": "daily_log"}, created_at=now) for pid in ids])
    session.commit()
    return list(session.scalars(sa.select(Notification.id).order_by(Notification.id)))


def main():
    args = options()
    logging.basicConfig(level=logging.WARNING)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.notifications.push import push_for_notifications
    from tests.push.fakepush import FakePushService

    with tempfile.TemporaryDirectory() as folder, \
            FakePushService(verify=not args.no_verify) as service:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench", "QUEUE_IMMEDIATE": True,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "VAPID_PRIVATE_KEY_FILE": f"{folder}/vapid.pem",
            "PUSH_ALLOW_INSECURE_ENDPOINTS": True, "PUSH_CONCURRENCY": args.concurrency})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            ids = seed(db, service, args.messages)
            print(f"push fan-out: seeded {len(ids):,} people, devices and reminders in "
                  f"{time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            report = push_for_notifications(ids)
            elapsed = time.perf_counter() - started
        checked = "VAPID checked and decrypted" if not args.no_verify else "not checked"
        print(f"push fan-out: {report.sent:,} of {len(ids):,} reminders delivered in "
              f"{elapsed:.1f} s = {report.sent / elapsed:,.0f} messages/s "
              f"(concurrency {args.concurrency}; {checked} by the local push service; "
              f"{len(service.rejected)} rejected, {len(report.failed)} failed)")
        # No same-run peer exists for sending pushes: the reference is the aim (a reminder
        # minute's worth of devices within that minute).
        bench_results.record(
            "push_10000", f"push fan-out, {len(ids):,} devices", unit="msg/s",
            value=round(report.sent / elapsed, 1), reference=round(len(ids) / 60, 1),
            reference_label=f"target: {len(ids):,} within a minute",
            settings=f"concurrency {args.concurrency}; {checked}")
        return 0 if report.sent == len(ids) and not service.rejected else 1


if __name__ == "__main__":
    sys.exit(main())
