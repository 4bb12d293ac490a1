"""One audit chain per person: writers for different people never wait for each other, and
``flask audit-verify`` still catches altered, missing and reordered entries in every chain."""

import threading

import sqlalchemy as sa

from app.audit import services as audit
from app.audit.cli import audit_verify
from app.audit.models import AuditEntry


def _write(app, owner, *, hold: threading.Event | None = None, done: threading.Event,
           errors: list):
    """Append one entry to ``owner``'s chain in its own app context and transaction,
    optionally keeping the transaction (and the owner's lock) open until ``hold`` is set."""
    try:
        with app.app_context():
            from app.extensions import db

            audit.record(owner.org_id, owner.id, owner.id, "activity", f"t-{owner.id}",
                         "create", {"description": "uji"})
            db.session.flush()
            done.set()
            if hold is not None:
                hold.wait(20)
            db.session.commit()
    except Exception as error:  # pragma: no cover - reported by the test
        errors.append(error)
        done.set()


def test_writers_for_different_people_do_not_wait_for_each_other(app, world, db):
    a1, a2 = world.one.staff_a1, world.one.staff_a2
    postgres = db.engine.dialect.name == "postgresql"
    release, errors = threading.Event(), []
    first_done, other_done, same_done = (threading.Event() for _ in range(3))
    first = threading.Thread(target=_write, args=(app, a1),
                             kwargs={"hold": release, "done": first_done, "errors": errors})
    first.start()
    assert first_done.wait(20)  # a1's transaction is open and holds a1's chain lock
    other = threading.Thread(target=_write, args=(app, a2),
                             kwargs={"done": other_done, "errors": errors})
    same = threading.Thread(target=_write, args=(app, a1),
                            kwargs={"done": same_done, "errors": errors})
    if postgres:  # SQLite lets one writer at a time into the whole database anyway
        other.start()
        assert other_done.wait(10), "a2's chain waited for a1's open transaction"
        other.join(10)
        assert not other.is_alive()
        same.start()
        assert not same_done.wait(0.5), "a1's chain was extended while a1's lock was held"
    release.set()
    first.join(20)
    if postgres:
        same.join(20)
    assert not errors, errors

    db.session.rollback()
    rows = db.session.execute(sa.select(AuditEntry.owner_id, AuditEntry.seq)
                              .order_by(AuditEntry.owner_id, AuditEntry.seq)).all()
    expected = [(a1.id, 1), (a1.id, 2), (a2.id, 1)] if postgres else [(a1.id, 1)]
    assert [tuple(r) for r in rows] == expected
    assert audit.verify_chain(world.one.org.id) == (len(expected), [])


def _chain_of_three(app, db, owner, other):
    with app.app_context():
        for n in range(3):
            audit.record(owner.org_id, owner.id, other.id, "activity", "x", "update",
                         {"n": [n, n + 1]})
        audit.record(other.org_id, other.id, other.id, "activity", "y", "create", {})
        db.session.commit()


def test_tampering_is_caught_in_each_persons_chain(app, world, db):
    a1, a2 = world.one.staff_a1, world.one.staff_a2
    _chain_of_three(app, db, a1, a2)
    runner = app.test_cli_runner()
    result = runner.invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert "kota-satu: 4 entries, OK (2 people's chains)" in result.output

    def tamper(*statements):
        db.session.rollback()
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(statement)
        return runner.invoke(audit_verify)

    where = (AuditEntry.owner_id == a1.id)
    # Altered content.
    result = tamper(sa.update(AuditEntry).where(where, AuditEntry.seq == 2)
                    .values(changes={"n": [1, 99]}))
    assert result.exit_code == 1
    assert f"person {a1.id}: entry 2 was altered" in result.output
    tamper(sa.update(AuditEntry).where(where, AuditEntry.seq == 2)
           .values(changes={"n": [1, 2]}))
    assert runner.invoke(audit_verify).exit_code == 0
    # Moved into someone else's chain.
    result = tamper(sa.update(AuditEntry).where(where, AuditEntry.seq == 3)
                    .values(owner_id=a2.id, seq=2))
    assert result.exit_code == 1
    assert f"person {a2.id}: entry 2 was altered" in result.output
    tamper(sa.update(AuditEntry).where(AuditEntry.owner_id == a2.id, AuditEntry.seq == 2)
           .values(owner_id=a1.id, seq=3))
    # Reordered: swap entries 1 and 2 (through a free position).
    result = tamper(
        sa.update(AuditEntry).where(where, AuditEntry.seq == 1).values(seq=100),
        sa.update(AuditEntry).where(where, AuditEntry.seq == 2).values(seq=1),
        sa.update(AuditEntry).where(where, AuditEntry.seq == 100).values(seq=2))
    assert result.exit_code == 1
    assert f"person {a1.id}: entry 1 does not follow entry 0" in result.output
    tamper(
        sa.update(AuditEntry).where(where, AuditEntry.seq == 1).values(seq=100),
        sa.update(AuditEntry).where(where, AuditEntry.seq == 2).values(seq=1),
        sa.update(AuditEntry).where(where, AuditEntry.seq == 100).values(seq=2))
    # Deleted.
    result = tamper(sa.delete(AuditEntry).where(where, AuditEntry.seq == 2))
    assert result.exit_code == 1
    assert f"person {a1.id}: entry 2 is missing (found 3)" in result.output
    assert "kota-satu: 3 entries, BROKEN" in result.output


def test_the_database_hashes_an_entry_as_verify_does(app, world, db):
    """The hash PostgreSQL computes inside a create's own statement is the one
    ``entry_hash`` recomputes, also for text that JSON escapes (quotes, backslashes,
    control characters, non-ASCII)."""
    from datetime import time

    from app.activities import services as activities
    from app.activities.deadlines import local_today
    from app.models import utcnow

    a1 = world.one.staff_a1
    today = local_today(a1, utcnow())
    tricky = 'Rapat "evaluasi" \\ koordinasi\tdi Dinas — ½ hari, 日本 \u2028 ✓'
    for n, description in enumerate(["Biasa", tricky, '"prev_hash":"x","seq":0']):
        activities.create_activity(a1, date=today, start_time=time(7 + n),
                                   end_time=time(7 + n, 30), description=description,
                                   work_kind="lainnya")
        db.session.commit()
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.owner_id == a1.id)
                                 .order_by(AuditEntry.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].changes["description"] == tricky
    assert [audit.entry_hash(e) for e in entries] == [e.hash for e in entries]
    assert audit.verify_chain(world.one.org.id) == (3, [])


def test_the_quick_canonical_form_is_the_standard_one():
    """Entries are hashed over orjson's output when their values allow: it must be the very
    bytes of the standard encoder, for every character a description may hold."""
    texts = ["".join(chr(cp) for cp in range(start, start + 64)) for start in range(0, 0x800, 64)]
    texts += ['"quoted" \\ back/slash', "Rapat 💼 koordinasi \u2028\u2029\ufeff", "\x7f\x00\x1f"]
    values = [*texts, 0, -1, 2**63 - 1, 2**64, True, False, None, 1.5, 1e16, [1, "a"],
              {"nested": "x"}]
    for value in values:
        content = {"org_id": 1, "owner_id": 2, "seq": 3, "actor_id": None,
                   "subject_type": "activity", "subject_id": "x", "action": "create",
                   "changes": {"description": value, "unit": "dokumen", "quantity": "1"},
                   "created_at": "2026-12-03T10:00:00.000001", "prev_hash": audit.GENESIS}
        assert audit._canonical_bytes(content) == audit._canonical(content).encode(), value
