"""Running an import: read the file, plan it against the database, and (unless a dry run)
apply it in the caller's transaction, all or nothing.

Only HR administrators import. The plan is computed in bulk queries; the application writes
in bulk statements; the caller's unit of work commits (or, on a refusal, rolls back).
"""

import io
import logging
import zipfile
from collections.abc import Callable

from flask_babel import gettext as _
from openpyxl import load_workbook

from app.admin.access import may_change
from app.audit import services as audit
from app.errors import Forbidden, ValidationFailed
from app.models import new_uuid
from app.org.imports.people import apply_people, plan_people
from app.org.imports.plan import Plan
from app.org.imports.reading import is_xlsx, read_table
from app.org.imports.units import apply_units, plan_units
from app.org.models import ImportKind, Person

logger = logging.getLogger(__name__)

PLANNERS = {ImportKind.PEOPLE: (plan_people, apply_people),
            ImportKind.UNITS: (plan_units, apply_units)}


class ImportRefused(ValidationFailed):
    """An apply refused because rows have errors: 422 with the plan's summary and rows."""

    def __init__(self, result: dict):
        super().__init__(_("%(count)s row(s) have errors; nothing was imported.",
                           count=result["summary"]["errors"]), extra=result)
        self.result = result


def require_importer(actor: Person) -> None:
    """:raise Forbidden: unless ``actor`` is an HR administrator (imports change data)."""
    if not may_change(actor):
        raise Forbidden(_("Only HR administrators may import."))


def count_rows(content: bytes) -> int:
    """About how many data rows a file has, without reading its cells (reading 10,000 rows
    with openpyxl takes seconds): the ``<row`` elements of an XLSX file's first sheet, a CSV
    file's lines. Enough to choose between now and the background."""
    if not is_xlsx(content):
        return max(0, content.count(b"\n") - 1)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        path = workbook.worksheets[0]._worksheet_path  # where openpyxl itself reads it from
        workbook.close()
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(path) as sheet:
            rows, tail = 0, b""
            while chunk := sheet.read(1 << 20):
                text = tail + chunk
                rows += text.count(b"<row ") + text.count(b"<row>")
                tail = text[-5:]
                rows -= tail.count(b"<row ") + tail.count(b"<row>")
            return max(0, rows + tail.count(b"<row ") + tail.count(b"<row>") - 1)
    except Exception:  # noqa: BLE001 - unreadable: the import itself will say so
        return 0


def plan_file(actor: Person, kind: ImportKind, content: bytes,
              progress: Callable | None = None) -> Plan:
    table = read_table(kind, content, progress)
    return PLANNERS[kind][0](actor, table)


def apply_plan(actor: Person, kind: ImportKind, plan: Plan, deactivate_missing: bool,
               reference: str | None = None) -> dict:
    """Write ``plan`` (flush only) with one summarising audit entry in the actor's chain.

    :raise ImportRefused: when any row has an error; nothing is written then.
    """
    result = plan.result()
    if plan.has_errors:
        raise ImportRefused(result)
    PLANNERS[kind][1](actor, plan, deactivate_missing)
    summary = dict(result["summary"])
    if not deactivate_missing:
        summary["deactivate"] = 0
    audit.record(actor.org_id, actor.id, actor.id, "import", reference or new_uuid(),
                 f"import_{kind.value}", {"summary": summary,
                                          "deactivate_missing": deactivate_missing})
    logger.info("Import of %s by %s: %s", kind.value, actor.id, summary)
    return result


def run_import(actor: Person, kind: ImportKind, content: bytes, *, dry_run: bool,
               deactivate_missing: bool = False, progress: Callable | None = None) -> dict:
    """``{"summary", "rows"}`` of importing ``content``; applied unless ``dry_run``."""
    require_importer(actor)
    plan = plan_file(actor, kind, content, progress)
    if dry_run:
        return plan.result()
    return apply_plan(actor, kind, plan, deactivate_missing)
