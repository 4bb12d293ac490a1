"""Subscriptions per device: add, renew, list, remove; only ever the caller's own."""

import threading

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from app.notifications import push
from app.notifications.models import PushSubscription
from tests.push.fakepush import b64u, b64u_dec

URL = "/api/v1/push-subscriptions"


def rows(db, person=None):
    db.session.rollback()
    query = sa.select(PushSubscription).order_by(PushSubscription.id)
    if person is not None:
        query = query.where(PushSubscription.person_id == person.id)
    return db.session.scalars(query).all()


def test_public_key_is_the_key_files_uncompressed_point(signed_in, world, vapid_file):
    response = signed_in(world.one.staff_a1).get("/api/v1/push/public-key")
    assert response.status_code == 200
    key = b64u_dec(response.get_json()["public_key"])
    assert len(key) == 65 and key[0] == 4
    private = load_pem_private_key(vapid_file.read_bytes(), None)
    assert key == private.public_key().public_bytes(Encoding.X962,
                                                    PublicFormat.UncompressedPoint)


def test_vapid_key_is_created_once_and_never_replaced(tmp_path):
    path = tmp_path / "instance" / "vapid_private.pem"
    threads = [threading.Thread(target=push.ensure_vapid_key, args=(path,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first = path.read_bytes()
    assert b"PRIVATE KEY" in first
    assert path.stat().st_mode & 0o077 == 0
    assert list(path.parent.iterdir()) == [path]  # no temporary files left behind
    push.ensure_vapid_key(path)
    assert path.read_bytes() == first


def test_subscribe_then_renew_the_same_endpoint(signed_in, world, push_service, db):
    client = signed_in(world.one.staff_a1)
    device = push_service.new_subscription()
    response = client.post(URL, json=device, headers={"User-Agent": "Android Chrome"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["endpoint"] == device["endpoint"] and body["user_agent"] == "Android Chrome"
    renewed = {**device, "keys": push_service.new_subscription()["keys"]}
    assert client.post(URL, json=renewed).status_code == 200
    (row,) = rows(db)
    assert (row.person_id, row.p256dh) == (world.one.staff_a1.id, renewed["keys"]["p256dh"])


def test_a_person_may_have_several_devices_and_lists_only_their_own(signed_in, world,
                                                                     push_service):
    mine, other = signed_in(world.one.staff_a1), signed_in(world.one.staff_a2)
    phones = [push_service.new_subscription() for _ in range(2)]
    for phone in phones:
        assert mine.post(URL, json=phone).status_code == 201
    assert other.post(URL, json=push_service.new_subscription()).status_code == 201
    listed = mine.get(URL).get_json()
    assert [d["endpoint"] for d in listed] == [p["endpoint"] for p in phones]


def test_unsubscribe_removes_the_row(signed_in, world, push_service, db):
    client = signed_in(world.one.staff_a1)
    device = push_service.new_subscription()
    client.post(URL, json=device)
    assert client.delete(URL, json={"endpoint": device["endpoint"]}).status_code == 204
    assert rows(db) == []
    again = client.delete(URL, json={"endpoint": device["endpoint"]})
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", [("one", "staff_a2"), ("one", "sup_a"), ("two", "staff_a1")])
def test_someone_elses_endpoint_is_404_and_unchanged(signed_in, world, push_service, db, who):
    owner = world.one.staff_a1
    device = push_service.new_subscription()
    signed_in(owner).post(URL, json=device)
    (before,) = rows(db)
    before = (before.id, before.person_id, before.p256dh, before.auth)
    intruder = signed_in(getattr(getattr(world, who[0]), who[1]))
    hijack = {**device, "keys": push_service.new_subscription()["keys"]}
    for response in (intruder.post(URL, json=hijack),
                     intruder.delete(URL, json={"endpoint": device["endpoint"]}),
                     intruder.delete(f"{URL}/{before[0]}")):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    (after,) = rows(db)
    assert (after.id, after.person_id, after.p256dh, after.auth) == before
    assert intruder.get(URL).get_json() == []


def test_remove_a_device_from_the_list(signed_in, world, push_service, db):
    client = signed_in(world.one.staff_a1)
    created = client.post(URL, json=push_service.new_subscription()).get_json()
    assert client.delete(f"{URL}/{created['id']}").status_code == 204
    assert rows(db) == []


def _valid(push_service):
    return push_service.new_subscription()


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: {**d, "endpoint": "ftp://push.example.com/x"}, "endpoint"),
    (lambda d: {**d, "keys": {**d["keys"], "p256dh": b64u(b"\x04" + b"\x01" * 64)}},
     "keys.p256dh"),
    (lambda d: {**d, "keys": {**d["keys"], "p256dh": "not base64!"}}, "keys.p256dh"),
    (lambda d: {**d, "keys": {**d["keys"], "auth": b64u(b"short")}}, "keys.auth"),
    (lambda d: {k: v for k, v in d.items() if k != "keys"}, "keys"),
    (lambda d: {**d, "extra": 1}, "extra"),
])
def test_invalid_subscriptions_are_422(signed_in, world, push_service, db, change, field):
    response = signed_in(world.one.staff_a1).post(URL, json=change(_valid(push_service)))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert rows(db) == []


@pytest.mark.parametrize("endpoint", [
    "http://push.example.com/x", "https://127.0.0.1/push/x", "https://localhost/push/x",
    "https://[::1]/push/x", "https://10.0.0.5/x", "https://user:pw@push.example.com/x",
    "https://intranet/x"])
def test_only_public_https_endpoints_outside_tests(signed_in, world, push_service, db,
                                                    push_config, endpoint):
    push_config["PUSH_ALLOW_INSECURE_ENDPOINTS"] = False
    device = {**push_service.new_subscription(), "endpoint": endpoint}
    response = signed_in(world.one.staff_a1).post(URL, json=device)
    assert response.status_code == 422
    assert "endpoint" in response.get_json()["error"]["fields"]
    good = {**device, "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def"}
    assert signed_in(world.one.staff_a1).post(URL, json=good).status_code == 201


def test_writes_need_the_csrf_token(signed_in, world, push_service, db):
    client = signed_in(world.one.staff_a1)
    response = client.client.post(URL, json=push_service.new_subscription())
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert rows(db) == []


def _sign_out(client, **form):
    return client.post("/keluar", data={"csrf_token": client.csrf_token, **form})


def test_signing_out_forgets_this_device_only(signed_in, world, push_service, db):
    client = signed_in(world.one.staff_a1)
    phone, tablet = push_service.new_subscription(), push_service.new_subscription()
    for device in (phone, tablet):
        client.post(URL, json=device)
    response = _sign_out(client, push_endpoint=phone["endpoint"])
    assert response.status_code == 303
    assert [row.endpoint for row in rows(db)] == [tablet["endpoint"]]
    assert client.get("/").status_code == 302  # signed out


@pytest.mark.parametrize("who", [("one", "staff_a2"), ("two", "staff_a1")])
def test_signing_out_never_forgets_someone_elses_device(signed_in, world, push_service, db,
                                                        who):
    device = push_service.new_subscription()
    signed_in(world.one.staff_a1).post(URL, json=device)
    other = signed_in(getattr(getattr(world, who[0]), who[1]))
    assert _sign_out(other, push_endpoint=device["endpoint"]).status_code == 303
    assert [row.person_id for row in rows(db)] == [world.one.staff_a1.id]


@pytest.mark.parametrize("form", [{}, {"push_endpoint": ""}, {"push_endpoint": "x" * 1001}])
def test_signing_out_without_a_usable_endpoint_still_signs_out(signed_in, world, push_service,
                                                               db, form):
    client = signed_in(world.one.staff_a1)
    client.post(URL, json=push_service.new_subscription())
    assert _sign_out(client, **form).status_code == 303
    assert client.get("/").status_code == 302
    assert len(rows(db)) == 1
