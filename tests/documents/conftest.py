"""Documents: an SKP with known targets, activities with evidence, readers for PDF and XLSX."""

import io
from datetime import date, time
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from app.activities.models import Activity, ActivityStatus, Attachment, AttachmentKind, WorkKind
from tests.reports.conftest import make_skp, statements  # noqa: F401

MONTH = date(2026, 11, 1)


@pytest.fixture
def targets(db, world):
    return make_skp(db, world.one.staff_a1)


@pytest.fixture(autouse=True)
def export_folder(app, tmp_path, monkeypatch):
    """Exports go to a temporary folder, not the instance folder."""
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path / "exports"))
    return tmp_path / "exports"


def add(db, person, day: date, description="Menyusun laporan", *, target=None, quantity=None,
        start=time(8, 0), end=time(9, 30), status=ActivityStatus.APPROVED, late=False,
        links=(), files=0) -> Activity:
    """An activity with known values (and evidence), inserted directly."""
    activity = Activity(
        org_id=person.org_id, person_id=person.id, date=day, start_time=start, end_time=end,
        duration_minutes=(end.hour * 60 + end.minute) - (start.hour * 60 + start.minute),
        description=description,
        quantity=None if quantity is None else Decimal(str(quantity)),
        unit=target.unit if target is not None else None,
        target_id=target.id if target is not None else None,
        work_kind=WorkKind.SKP if target is not None else WorkKind.LAINNYA,
        status=status, is_late=late)
    db.session.add(activity)
    db.session.flush()
    for url in links:
        db.session.add(Attachment(activity_id=activity.id, kind=AttachmentKind.LINK, url=url))
    for n in range(files):
        db.session.add(Attachment(activity_id=activity.id, kind=AttachmentKind.FILE,
                                  filename=f"foto{n}.jpg", content_type="image/jpeg",
                                  size=10, storage_key=f"x/{activity.id}-{n}.jpg"))
    db.session.commit()
    return activity


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded (cells wrap)."""
    return " ".join(text.split())


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def find_row(sheet, first_value) -> int:
    for row in sheet.iter_rows():
        if row[0].value == first_value:
            return row[0].row
    raise AssertionError(f"no row starting with {first_value!r}")


def fetch(client, url):
    """GET and close at once (files are streamed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response
