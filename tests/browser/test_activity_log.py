"""Logging an activity against an RHK on a phone, and watching its progress move."""

import re

from playwright.sync_api import expect

from app.activities import services as activity_services
from app.activities.models import Activity
from app.targets.models import SkpStatus
from tests.browser.conftest import sign_in
from tests.targets.factories import cascade


def test_log_activity_against_rhk_and_progress_moves(phone, world, db):
    staff = world.one.staff_a1
    _, _, skp = cascade(world.one, staff_status=SkpStatus.APPROVED)
    indicator = skp.rhks[0].indicators[0]  # target: 12 dokumen
    sign_in(phone, staff)
    progress = phone.locator(f'[data-indicator-id="{indicator.id}"]')
    expect(progress.locator(".progress-percent")).to_have_text("0 %")

    # Tap 1: the main button; then typing; the most used RHK is already chosen; tap 2: Kirim.
    phone.get_by_role("link", name="Catat aktivitas").click()
    phone.get_by_label("Uraian kegiatan").fill("Menyusun draf laporan bulanan")
    expect(phone.get_by_label("RHK / indikator")).to_have_value(str(indicator.id))
    expect(phone.get_by_label("Satuan")).to_have_value("dokumen")
    phone.get_by_label("Jumlah").fill("3")
    phone.get_by_role("button", name="Kirim").click()

    card = phone.locator(".activity-card", has_text="Menyusun draf laporan bulanan")
    expect(card).to_be_visible()
    expect(card.locator(".status")).to_have_text("menunggu persetujuan")
    expect(progress.locator(".progress-figures")).to_contain_text("menunggu persetujuan: 3")

    db.session.rollback()
    activity = db.session.scalar(db.select(Activity).where(Activity.person_id == staff.id))
    activity_services.approve_activity(world.one.sup_a, activity.id)
    db.session.commit()

    phone.reload()
    expect(progress.locator(".progress-percent")).to_have_text("25 %")
    expect(progress.get_by_role("progressbar")).to_have_attribute("value", re.compile(r"^3"))
    expect(card.locator(".status")).to_have_text("disetujui")


#: The outbox pass takes 1.5 s longer to finish after reading the queue, as on a busy phone.
SLOW_FLUSH = """() => {
  const K = self.Kinerjaku, flush = K.flush;
  K.flush = async (...args) => {
    const result = await flush(...args);
    await new Promise((done) => setTimeout(done, 1500));
    return result;
  };
  return self.KinerjakuApp.flush() && true;
}"""


def test_a_save_during_a_running_sync_still_reaches_the_server_first(phone, world, db):
    """The form waits for its own write, even when a pass over the (then empty) outbox was
    already running: Beranda then shows the new activity in the progress at once."""
    staff = world.one.staff_a1
    _, _, skp = cascade(world.one, staff_status=SkpStatus.APPROVED)
    indicator = skp.rhks[0].indicators[0]
    sign_in(phone, staff)
    phone.get_by_role("link", name="Catat aktivitas").click()
    phone.get_by_label("Uraian kegiatan").fill("Menyusun draf laporan bulanan")
    phone.get_by_label("Jumlah").fill("3")
    assert phone.evaluate(SLOW_FLUSH)  # a pass that read the empty outbox is still running
    phone.get_by_role("button", name="Kirim").click()
    phone.wait_for_url("**/?tanggal=*")
    progress = phone.locator(f'[data-indicator-id="{indicator.id}"]')
    expect(progress.locator(".progress-figures")).to_contain_text("menunggu persetujuan: 3")


def test_form_keeps_typing_after_a_failed_send(phone, world, db):
    sign_in(phone, world.one.staff_a1)
    phone.get_by_role("link", name="Catat aktivitas").click()
    phone.get_by_label("Uraian kegiatan").fill("Rapat koordinasi")
    phone.get_by_label("Jam mulai").fill("10:00")
    phone.get_by_label("Jam selesai").fill("09:00")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    expect(phone.get_by_label("Uraian kegiatan")).to_have_value("Rapat koordinasi")
    expect(phone.locator("#end_time-error")).to_be_visible()
