"""Every UI message is in the catalogues, and Bahasa Indonesia has all of them."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(locale: str):
    with (ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_indonesian_catalogue_translates_every_message():
    messages = source_messages()
    assert len(messages) > 50
    translated = {m.id: m.string for m in catalogue("id") if m.id}
    missing = sorted(m for m in messages if not translated.get(m))
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(missing)


def test_placeholders_survive_translation():
    for message in catalogue("id"):
        if message.id and "%(" in message.id:
            for name in ("%(n)d", "%(name)s", "%(zones)s"):
                assert (name in message.id) == (name in message.string), message.id


def test_english_catalogue_exists():
    assert {m.id for m in catalogue("en") if m.id} >= source_messages()


def test_json_errors_follow_the_language(client, db):
    indonesian = client.post("/api/v1/auth/login", json={})
    english = client.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"})
    assert indonesian.get_json()["error"]["fields"]["nip"] == "Isian ini wajib diisi."
    assert english.get_json()["error"]["fields"]["nip"] == "This field is required."
