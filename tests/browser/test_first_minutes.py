"""What a new user meets in the first minutes on a phone (issue 14, findings 3-7)."""

import sqlalchemy as sa
from playwright.sync_api import expect

from app.activities.models import Attachment
from app.targets.models import SkpStatus
from tests.browser.test_pwa import (
    OUTBOX_EMPTY,
    log_on_server,
    open_phone,
    server_activities,
    sign_in,
    wait_until,
)
from tests.targets.factories import cascade

NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def phone_for(browser, live_server, person):
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    return context, page


def open_form(page, description):
    page.get_by_role("link", name="Catat aktivitas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat aktivitas")
    page.get_by_label("Uraian kegiatan").fill(description)


def test_back_then_kirim_again_saves_no_second_copy(browser, live_server, world, db):
    """Finding 3: the saved form's idempotency key comes back with the form."""
    person = world.one.staff_a1
    context, page = phone_for(browser, live_server, person)
    open_form(page, "Rapat persiapan pelayanan terpadu")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.wait_for_url("**/?tanggal=*")
    wait_until(page, OUTBOX_EMPTY)
    assert len(server_activities(db, person)) == 1

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat aktivitas")
    page.get_by_label("Uraian kegiatan").fill("Rapat persiapan pelayanan terpadu")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.wait_for_url("**/?tanggal=*")
    wait_until(page, OUTBOX_EMPTY)
    assert len(server_activities(db, person)) == 1
    context.close()


def test_a_quantity_indicator_prefills_and_requires_the_quantity(browser, live_server, world,
                                                                   db):
    """Finding 4: work against "12 dokumen" never silently counts 0."""
    person = world.one.staff_a1
    cascade(world.one, staff_status=SkpStatus.APPROVED)
    context, page = phone_for(browser, live_server, person)
    open_form(page, "Menyusun notulen rapat")
    page.get_by_label("RHK / indikator").select_option(label="Jumlah dokumen Staf 1 — Staf hasil 1")
    quantity = page.get_by_label("Jumlah", exact=True)
    expect(quantity).to_have_value("1")
    assert quantity.evaluate("(input) => input.required") is True

    quantity.fill("")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator("#quantity-error")).to_have_text("Isian ini wajib diisi.")
    assert server_activities(db, person) == []

    quantity.fill("3")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/?tanggal=*")
    wait_until(page, OUTBOX_EMPTY)
    assert [float(a.quantity) for a in server_activities(db, person)] == [3.0]

    # Other work counts no quantity: nothing is required there.
    open_form(page, "Membantu kegiatan kebersihan")
    page.get_by_label("RHK / indikator").select_option("lainnya")
    assert page.get_by_label("Jumlah", exact=True).evaluate("(i) => i.required") is False
    context.close()


def test_sent_offline_is_not_waiting_for_approval_until_the_server_has_it(browser,
                                                                          live_server, world,
                                                                          db):
    """Finding 5."""
    person = world.one.staff_a1
    context, page = phone_for(browser, live_server, person)
    context.set_offline(True)
    page.reload()
    open_form(page, "Input data kehadiran")
    page.get_by_role("button", name="Kirim", exact=True).click()
    card = page.locator(".activity-card", has_text="Input data kehadiran")
    expect(card.locator(".status")).to_have_text("dikirim saat online")
    assert "menunggu persetujuan" not in card.inner_text().lower()

    context.set_offline(False)
    wait_until(page, OUTBOX_EMPTY, timeout=15)
    page.reload()
    card = page.locator(".activity-card", has_text="Input data kehadiran")
    expect(card.locator(".status")).to_have_text("menunggu persetujuan")
    context.close()


def test_a_renamed_non_image_is_refused_before_anything_is_saved(browser, live_server, world,
                                                                 db):
    """Finding 6: the activity is not saved without its evidence, nothing waits to sync."""
    person = world.one.staff_a1
    context, page = phone_for(browser, live_server, person)
    open_form(page, "Dokumentasi rapat")
    page.get_by_label("Bukti dukung (foto atau PDF)").set_input_files(
        {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00 not a photo"})
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator("#evidence-error")).to_have_text(
        "Berkas ini bukan foto (JPEG, PNG, WebP) atau PDF.")
    assert page.evaluate("() => Kinerjaku.pendingCount()") == 0
    expect(page.locator("#outbox-badge")).to_be_hidden()
    expect(page.locator("#outbox-attention")).to_be_hidden()
    assert server_activities(db, person) == []
    assert db.session.scalars(sa.select(Attachment)).all() == []
    expect(page.get_by_label("Uraian kegiatan")).to_have_value("Dokumentasi rapat")
    context.close()


def test_one_long_word_never_widens_a_page(browser, live_server, world, db):
    """Finding 7: a pasted 2,000-character URL wraps on Beranda, the activity and the form."""
    person = world.one.staff_a1
    word = "https://contoh.go.id/" + "a" * 1979
    activity = log_on_server(db, person, word, (7, 30), (8, 30))
    context, page = phone_for(browser, live_server, person)
    for path in ("/", f"/aktivitas/{activity.id}", "/aktivitas/baru"):
        page.goto(path)
        assert page.evaluate(NO_SIDEWAYS), path
    context.close()
