"""Bulk data for the benchmark: an organisation of ~2,000 people and a million activities.

Everything but the access tokens goes in through PostgreSQL ``COPY`` on a raw psycopg
connection (the ORM would take minutes). Tokens are made by the real service,
``app.auth.services.create_token``.
"""

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import psycopg

from app.core import partitions

TIMEZONE = "Asia/Jakarta"
STATUSES = ["approved"] * 70 + ["submitted"] * 15 + ["draft"] * 10 + ["returned"] * 5


@dataclass
class World:
    org_id: int
    supervisor_id: int
    team_ids: list[int]
    #: person id -> the indicator ids of their SKP
    indicators: dict[int, list[int]]
    #: ids of the people who post activities during the write benchmarks
    posters: list[int] = field(default_factory=list)


def _copy(conn, table: str, columns: list[str], rows) -> int:
    count = 0
    with conn.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _copy_text(conn, table: str, columns: list[str], lines) -> None:
    """COPY pre-formatted tab-separated lines: several times faster than write_row."""
    with conn.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= 20000:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))


def load(url: str, *, people: int, team: int, rows: int, year_end: date,
         seed: int = 6, posters: int = 100) -> World:
    """Load the organisation and ``rows`` activities spread over the year before ``year_end``."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    with psycopg.connect(url) as conn:
        org_id = conn.execute(
            "INSERT INTO organisations (slug, name, timezone, created_at, updated_at) "
            "VALUES ('bench', 'Pemerintah Kota Bench', %s, %s, %s) RETURNING id",
            (TIMEZONE, now, now)).fetchone()[0]
        unit_id = conn.execute(
            "INSERT INTO units (org_id, code, name, timezone, created_at, updated_at) "
            "VALUES (%s, 'ROOT', 'Dinas Bench', %s, %s, %s) RETURNING id",
            (org_id, TIMEZONE, now, now)).fetchone()[0]
        # People 1..n; person 1 supervises 2..team+1; everyone else reports to person 1's
        # peer (person team+2), so the supervisor's line is exactly ``team`` people.
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0]
        ids = list(range(first, first + people))
        supervisor, others_boss = ids[0], ids[team + 1]
        team_ids = ids[1:team + 1]

        def boss(person_id):
            if person_id == supervisor or person_id == others_boss:
                return None
            return supervisor if person_id in team_set else others_boss

        team_set = set(team_ids)
        _copy(conn, "people", ["id", "org_id", "unit_id", "supervisor_id", "nip", "name",
                               "jabatan", "position_kind", "golongan", "password_hash",
                               "active", "created_at", "updated_at"],
              ((pid, org_id, unit_id, boss(pid), f"19800101{pid:010d}", f"Pegawai {pid:05d}",
                "Analis", "pelaksana", "III/a", "!bench-no-password", True, now, now)
               for pid in ids))
        _copy(conn, "person_roles", ["person_id", "role"],
              [(pid, "pegawai") for pid in ids] + [(supervisor, "atasan"),
                                                   (others_boss, "atasan")])
        # One SKP per person (the year of year_end), one RHK, two indicators.
        _copy(conn, "skps", ["id", "org_id", "person_id", "appraiser_id", "year", "approach",
                             "is_jpt", "status", "version", "created_at", "updated_at"],
              ((pid, org_id, pid, boss(pid), year_end.year, "kuantitatif", False,
                "approved", 1, now, now) for pid in ids))
        _copy(conn, "rhks", ["id", "skp_id", "kind", "description", "position"],
              ((pid, pid, "utama", "Terselenggaranya layanan administrasi", 0) for pid in ids))
        indicators = {pid: [2 * pid - 1, 2 * pid] for pid in ids}
        _copy(conn, "indicators", ["id", "rhk_id", "aspect", "description", "target_min",
                                   "unit", "position"],
              (row for pid in ids for row in (
                  (2 * pid - 1, pid, "kuantitas", "Dokumen", 240, "dokumen", 0),
                  (2 * pid, pid, "kuantitas", "Laporan", 120, "laporan", 1))))
        for table in ("people", "skps", "rhks", "indicators"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT MAX(id) FROM {table}))")
        conn.commit()

        started = time.perf_counter()
        days = [year_end - timedelta(days=n) for n in range(365)]
        stamp = now.isoformat(sep=" ")

        def lines():
            for n in range(rows):
                pid = ids[n % people]
                day = days[rng.randrange(365)]
                status = STATUSES[rng.randrange(100)]
                minutes = rng.randrange(30, 241, 15)
                start = rng.randrange(7 * 60, 15 * 60, 15)
                end = start + minutes
                if rng.random() < 0.8:
                    target = indicators[pid][rng.randrange(2)]
                    target_id, kind, quantity = str(target), "skp", str(rng.randrange(1, 4))
                else:
                    target_id, kind, quantity = "\\N", ("tambahan", "lainnya")[n % 2], "\\N"
                yield (f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{org_id}\t{pid}\t"
                       f"{day.isoformat()}\t{start // 60:02d}:{start % 60:02d}\t"
                       f"{end // 60:02d}:{end % 60:02d}\t{minutes}\tKegiatan harian\t"
                       f"{quantity}\t{target_id}\t{kind}\t{status}\tf\t1\t{stamp}\t{stamp}\n")

        partitions.prepare_bulk_load(conn, days[-1], days[0])  # PostgreSQL: the months
        _copy_text(conn, "activities",
                   ["id", "org_id", "person_id", "date", "start_time", "end_time",
                    "duration_minutes", "description", "quantity", "target_id",
                    "work_kind", "status", "is_late", "version", "created_at", "updated_at"],
                   lines())
        conn.commit()
        copied = time.perf_counter() - started
    # As after any bulk load: statistics and the visibility map now, so that autovacuum does
    # not catch up on a million new rows in the background while the figures are measured.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  loaded {rows:,} activities in {copied:.1f} s "
          f"({rows / copied:,.0f} rows/s through COPY), {people:,} people")
    return World(org_id, supervisor, team_ids, indicators, ids[team + 2:team + 2 + posters])


def make_tokens(app, person_ids: list[int]) -> dict[int, str]:
    """A personal access token per person, made by the real service."""
    from app.auth.services import create_token
    from app.extensions import db
    from app.org.models import Person

    tokens = {}
    with app.app_context():
        for person_id in person_ids:
            person = db.session.get(Person, person_id)
            tokens[person_id] = create_token(person, "bench").token
        db.session.commit()
    return tokens


def count_activities(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM activities").fetchone()[0]
