"""The pages: the employee asks at /cuti, the supervisor decides in /tim, HR enters and
lists at /cuti/semua, pimpinan only read it."""

import sqlalchemy as sa

from app.absences.models import Absence, AbsenceStatus
from app.extensions import db

FORM = {"kind": "cuti_sakit", "starts_on": "2026-11-02", "ends_on": "2026-11-03",
        "note": "Demam"}


def last_absence() -> Absence:
    db.session.rollback()
    return db.session.scalars(sa.select(Absence).order_by(Absence.id.desc())).first()


def test_employee_asks_and_supervisor_approves_in_tim(api, world):
    one = world.one
    api.login(one.staff_a1)
    assert "Ajukan cuti atau laporkan ketidakhadiran" in api.get("/cuti").get_data(as_text=True)
    response = api.post("/cuti", data=FORM)
    assert response.status_code == 303
    absence = last_absence()
    assert absence.status == AbsenceStatus.REQUESTED and absence.person_id == one.staff_a1.id
    api.login(one.sup_a)
    team = api.get("/tim").get_data(as_text=True)
    assert f'data-absence-id="{absence.id}"' in team
    assert api.post(f"/cuti/{absence.id}/setujui", data={"next": "/tim"}).status_code == 303
    assert last_absence().status == AbsenceStatus.APPROVED


def test_bad_input_shows_the_form_again_with_what_was_typed(api, world):
    api.login(world.one.staff_a1)
    response = api.post("/cuti", data={**FORM, "ends_on": "2026-11-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="2026-11-01"' in page and "Demam" in page
    assert last_absence() is None


def test_hr_enters_pimpinan_reads_staff_refused(api, world):
    one = world.one
    api.login(one.admin)
    response = api.post("/cuti/semua", data={**FORM, "person_id": one.staff_b1.id})
    assert response.status_code == 303
    assert last_absence().status == AbsenceStatus.APPROVED
    assert one.staff_b1.name in api.get("/cuti/semua").get_data(as_text=True)
    api.login(one.head)
    page = api.get("/cuti/semua").get_data(as_text=True)
    assert one.staff_b1.name in page and 'method="post" action="/cuti/semua"' not in page
    assert api.post("/cuti/semua", data={**FORM, "person_id": one.staff_a1.id}
                    ).status_code == 403
    api.login(one.staff_a1)
    assert api.get("/cuti/semua").status_code == 403
    api.login(world.two.admin)  # another organisation: not listed
    assert one.staff_b1.name not in api.get("/cuti/semua").get_data(as_text=True)
