"""Every UI message is in the catalogues, and Bahasa Indonesia has all of them."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    for _, _, message, _, context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def msgid(message) -> str:
    """The singular of a plural entry, the text of any other."""
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def message_text(message) -> str:
    return message.string[0] if isinstance(message.string, (tuple, list)) else message.string


def catalogue(locale: str):
    with (ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_indonesian_catalogue_translates_every_message():
    messages = source_messages()
    assert len(messages) > 50
    translated = {(m.context, msgid(m)): message_text(m) for m in catalogue("id") if m.id}
    missing = sorted(m for m in messages if not translated.get(m))
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(
        text for _, text in missing)


def test_placeholders_survive_translation():
    for message in catalogue("id"):
        text = msgid(message)
        if text and "%(" in text:
            for name in re.findall(r"%\(\w+\)[sd]", text):
                assert name in message_text(message), text


def test_english_catalogue_exists():
    assert {(m.context, msgid(m)) for m in catalogue("en") if m.id} >= source_messages()


def test_json_errors_follow_the_language(client, db):
    indonesian = client.post("/api/v1/auth/login", json={})
    english = client.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"})
    assert indonesian.get_json()["error"]["fields"]["nip"] == "Isian ini wajib diisi."
    assert english.get_json()["error"]["fields"]["nip"] == "This field is required."
