"""The code by e-mail, through a real SMTP server on this machine, only after the commit."""

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.accounts.support import activate, pending_person


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(
            envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SENDER", "kinerjaku@pemda.example")
    yield inbox
    controller.stop()


def received(inbox, count=1, wait=5.0):
    deadline = time.monotonic() + wait
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def with_email(db, person, address):
    person = db.session.merge(person)
    person.email = address
    db.session.commit()
    return person


def test_the_code_goes_by_e_mail_and_works(api, app, world, db, smtp):
    person = with_email(db, pending_person(world.one), "baru@pemda.example")
    api.login(world.one.admin)
    response = api.post(f"/api/v1/people/{person.id}/activation-code",
                        json={"send_email": True})
    assert response.status_code == 201
    body = response.get_json()
    assert body["emailed"] is True
    [(recipients, mail)] = received(smtp)
    assert recipients == ["baru@pemda.example"]
    assert mail["From"] == "kinerjaku@pemda.example"
    text = mail.get_content()
    assert body["code"] in text and "http://localhost/aktivasi" in text
    assert "Kode aktivasi Kinerjaku" in mail["Subject"]  # the default language
    assert activate(app.test_client(), person.nip, body["code"]).status_code == 200


def test_no_mail_unless_asked_nor_when_the_request_fails(api, world, db, smtp):
    person = with_email(db, pending_person(world.one), "baru@pemda.example")
    without = pending_person(world.one, "Tanpa Email")
    api.login(world.one.admin)
    assert api.post(f"/api/v1/people/{person.id}/activation-code", json={}).status_code == 201
    refused = api.post(f"/api/v1/people/{without.id}/activation-code",
                       json={"send_email": True})
    assert refused.status_code == 422
    assert "send_email" in refused.get_json()["error"]["fields"]
    assert received(smtp, wait=0.5) == []


def test_a_dead_mail_server_does_not_fail_the_issue(api, app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens
    person = with_email(db, pending_person(world.one), "baru@pemda.example")
    api.login(world.one.admin)
    response = api.post(f"/api/v1/people/{person.id}/activation-code",
                        json={"send_email": True})
    assert response.status_code == 201
    assert activate(app.test_client(), person.nip, response.get_json()["code"]).status_code == 200
