"""What the server gives the installable app: worker, manifest, shell, and a light first load."""

import json
import re

BUDGET = 150 * 1024


def test_service_worker_is_served_from_root_uncached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    version = re.search(r'^const VERSION = "([0-9a-f]{12})";', source, re.M).group(1)
    precache = json.loads(re.search(r"^const PRECACHE = (\[.*\]);", source, re.M).group(1))
    assert "/shell" in precache and "/static/pwa/js/store.js" in precache
    assert version


def test_worker_version_follows_its_assets(app, client, db, tmp_path, monkeypatch):
    first = client.get("/sw.js").get_data(as_text=True)
    app.extensions.pop("kinerjaku_sw", None)
    from app.pwa import views

    monkeypatch.setattr(views, "SHELL_ASSETS", views.SHELL_ASSETS + ("pwa/icons/badge-96.png",
                                                                     "pwa/icons/icon-512.png"))
    second = client.get("/sw.js").get_data(as_text=True)
    app.extensions.pop("kinerjaku_sw", None)
    assert first.splitlines()[0] != second.splitlines()[0]


def test_manifest_makes_the_app_installable(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["theme_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        fetched = client.get(icon["src"])
        assert fetched.status_code == 200
        fetched.close()
    [shortcut] = manifest["shortcuts"]
    assert shortcut["name"] == "Catat aktivitas"
    assert shortcut["url"].startswith("/aktivitas/baru")


def test_shell_holds_no_personal_data(api, world):
    api.login(world.one.staff_a1)
    html = api.get("/shell").get_data(as_text=True)
    assert world.one.staff_a1.name not in html
    assert world.one.staff_a1.nip not in html
    assert 'name="csrf_token"' not in html
    assert 'id="tpl-form"' in html and 'id="tpl-today"' in html


def test_the_shell_leaves_the_persons_messages_to_their_next_page(api, world):
    """The service worker fetches the shell in the background, with the person's cookies,
    at any moment: say just after a draft was deleted and before the page that says so."""
    api.login(world.one.staff_a1)
    with api.client.session_transaction() as session:
        session["_flashes"] = [("success", "Draf dihapus.")]
    assert "Draf dihapus." not in api.get("/shell").get_data(as_text=True)
    assert "Draf dihapus." in api.get("/").get_data(as_text=True)


def test_first_load_is_light(client, db):
    """The sign-in page and everything it and the worker's first install fetch, compressed."""
    headers = {"Accept-Encoding": "br, gzip"}
    page = client.get("/masuk", headers=headers)
    total = len(page.data)
    html = client.get("/masuk").get_data(as_text=True)
    worker = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(re.search(r"^const PRECACHE = (\[.*\]);", worker, re.M).group(1))
    urls = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html)) | set(precache) | {
        "/sw.js", "/manifest.webmanifest"}
    for url in sorted(urls):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        total += len(response.data)
        response.close()
    assert total < BUDGET, f"{total} bytes"


def test_text_assets_are_compressed(client, db):
    for url in ("/static/pwa/css/app.css", "/static/pwa/js/store.js"):
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.headers["Content-Encoding"] in ("br", "gzip")
        response.close()


def test_pages_beside_each_other_never_put_back_an_older_session(api, world):
    """A page, the service worker's background fetch of the shell and the page's own calls
    run side by side with the same cookie. Were each to write the session cookie back, the
    last to finish would win: a copy from before the form's CSRF token was made could land
    after it, and the form would then be refused. Only what changes the session writes it."""
    api.login(world.one.staff_a1)
    for path in ("/", "/aktivitas/baru", "/shell", "/api/v1/me"):
        response = api.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
