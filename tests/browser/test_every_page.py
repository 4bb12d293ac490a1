"""Every page of every role at 360 px: axe-core finds nothing and nothing scrolls sideways.

axe-core is the npm package pinned in package.json (`npm ci` installs it into node_modules);
it is evaluated in the page through the browser's debugging protocol, so the site's own
Content-Security-Policy stays as strict as it is and nothing comes from a CDN.

With KINERJAKU_SCREENSHOTS=<folder> (`make screenshots`) each page is also saved as
<folder>/<role>/<page>.png.
"""

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.activities.models import Activity, Attachment
from app.activities.schemas import MAX_DESCRIPTION
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.feedback.models import MAX_BODY, Comment
from app.org.models import Organisation, Person, Unit
from app.targets.models import Indicator, Rhk, Skp
from tests.browser.conftest import PHONE, sign_in
from tests.browser.tour import (
    ARGUMENTS,
    ROLES,
    SIGNED_OUT,
    page_endpoints,
    person_for,
    signed_in_endpoints,
    stops,
)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"
#: Table headers squeezed to a few letters a line ("N/a/m/a"), as words break anywhere in cards
#: (headers hidden from sight, of a table shown as cards on a phone, are not squeezed).
SQUEEZED_COLUMNS = """() => [...document.querySelectorAll('th')]
    .filter((th) => th.textContent.trim().length > 3 && th.getBoundingClientRect().width > 2
            && th.getBoundingClientRect().width < 56)
    .map((th) => th.textContent.trim())"""
#: A checkbox or radio button stretched to a full-width field, its words wrapped beneath it;
#: a figure of a summary list squeezed beside its label ("4 / dari / 21 / hari / kerj / a");
#: a one-word tab label broken over two lines ("Berand / a"); a suggestion chip as tall as
#: the whole description it offers.
MISSHAPEN = """() => [
    ...[...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
        .filter((box) => box.getBoundingClientRect().width > 40)
        .map((box) => `${box.type} as wide as a field: ${box.name || box.id}`),
    ...[...document.querySelectorAll('.summary-list dd')]
        .filter((dd) => {
            const text = document.createRange();  // the text's own lines, not the grid row
            text.selectNodeContents(dd);
            return dd.textContent.trim().length < 40 && text.getBoundingClientRect().height
                > 2.5 * parseFloat(getComputedStyle(dd).lineHeight);
        })
        .map((dd) => `figure squeezed: ${dd.textContent.trim()}`),
    ...[...document.querySelectorAll('.app-nav a > span:not(.nav-badge)')]
        .filter((label) => !label.textContent.trim().includes(' ')
                && label.getBoundingClientRect().height
                   > 1.5 * parseFloat(getComputedStyle(label).lineHeight))
        .map((label) => `tab label broken: ${label.textContent.trim()}`),
    ...[...document.querySelectorAll('.chip-button')]
        .filter((chip) => chip.getBoundingClientRect().height > 120)
        .map((chip) => `suggestion too tall: ${chip.textContent.trim().slice(0, 40)}`)]"""
#: A heading set right under the text above it, or a list of facts with the next thing (a
#: form's first label) right under its last line; an address of the API shown to a person.
GLUED = """() => [
    ...[...document.querySelectorAll('main h2, main .facts')].map((element) => {
        let first = element;  // a heading opening a section: the section's neighbour above
        while (element.matches('h2') && !first.previousElementSibling && first.parentElement
               && first.parentElement.tagName !== 'MAIN') first = first.parentElement;
        const [above, below] = element.matches('h2')
            ? [first.previousElementSibling, element] : [element, element.nextElementSibling];
        const shown = (node) => node && node.getClientRects().length
            && node.getBoundingClientRect().height > 2;
        if (!shown(above) || !shown(below)) return null;
        const gap = below.getBoundingClientRect().top - above.getBoundingClientRect().bottom;
        return gap < 6 ? `glued: ${below.textContent.trim().slice(0, 40)}` : null;
    }).filter(Boolean),
    ...(document.body.innerText.includes('/api/v1/') ? ['an API address on screen'] : [])]"""
#: Where the screens go, when asked for.
SCREENSHOTS = os.environ.get("KINERJAKU_SCREENSHOTS")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The pinned axe-core, installed with `npm ci` the first time (`make test` does it first).

    Parallel test workers take a lock, so only one of them ever runs `npm ci`."""
    with open(ROOT / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not AXE.exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                           cwd=ROOT, check=True)
    return AXE.read_text(encoding="utf-8")


def longest(length: int, start: str = "") -> str:
    """`length` characters of text whose second half is one unbroken word (a pasted URL)."""
    words = (start + "Pelaksanaan koordinasi " * length)[:length // 2]
    return (words + "https://contoh.go.id/" + "x" * length)[:length]


@pytest.fixture
def longest_values(demo):
    """The demo with every name, jabatan, description and comment as long as allowed."""
    org_id = demo.id
    people = sa.select(Person.id).where(Person.org_id == org_id)
    activities = sa.select(Activity.id).where(Activity.org_id == org_id)
    skps = sa.select(Skp.id).where(Skp.person_id.in_(people))
    for statement in (
            sa.update(Organisation).where(Organisation.id == org_id).values(name=longest(200)),
            sa.update(Unit).where(Unit.org_id == org_id).values(name=longest(200)),
            sa.update(Activity).where(Activity.org_id == org_id)
            .values(description=longest(MAX_DESCRIPTION), unit=longest(40)),
            sa.update(Attachment).where(Attachment.activity_id.in_(activities))
            .values(filename=longest(255)),
            sa.update(Comment).where(Comment.activity_id.in_(activities))
            .values(body=longest(MAX_BODY)),
            sa.update(Rhk).where(Rhk.skp_id.in_(skps)).values(description=longest(2000)),
            sa.update(Indicator).where(Indicator.rhk_id.in_(
                sa.select(Rhk.id).where(Rhk.skp_id.in_(skps))))
            .values(description=longest(2000), unit=longest(40), target_text=longest(2000))):
        db.session.execute(statement)
    # People keep distinct names, as the pages tell them apart by name.
    for person in db.session.scalars(sa.select(Person).where(Person.org_id == org_id)):
        person.name, person.jabatan = longest(200, f"{person.id} "), longest(200)
    db.session.commit()
    return demo


def axe_violations(page, axe_source: str) -> list[str]:
    """axe-core's WCAG 2 A/AA and best-practice rules on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    found = page.evaluate("""async () => (await axe.run(document, {
        resultTypes: ['violations']})).violations.map(v =>
        `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    return found


def check(page, stop, role: str, axe_source: str) -> list[str]:
    """What is wrong on the page: axe's violations and a sideways scroll."""
    page.wait_for_load_state("load")
    problems = [f"{role} {stop.path}: {v}" for v in axe_violations(page, axe_source)]
    if not page.evaluate(NO_SIDEWAYS):
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        problems.append(f"{role} {stop.path}: scrolls sideways ({width} px wide)")
    problems += [f"{role} {stop.path}: column squeezed: {name}"
                 for name in page.evaluate(SQUEEZED_COLUMNS)]
    problems += [f"{role} {stop.path}: {what}" for what in page.evaluate(MISSHAPEN)]
    problems += [f"{role} {stop.path}: {what}" for what in page.evaluate(GLUED)]
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS) / role
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{stop.name}.png", full_page=True, scale="css")
    return problems


def tour(page, role, stop_list, axe_source) -> tuple[list[str], list[str]]:
    """Visit each stop; return (problems, stops the role may not open)."""
    problems, forbidden = [], []
    for stop in stop_list:
        response = page.goto(stop.path)
        if response.status == 403:
            forbidden.append(stop.name)
            continue
        assert response.status < 400, f"{role} {stop.path} answered {response.status}"
        problems += check(page, stop, role, axe_source)
    return problems, forbidden


def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    return context, context.new_page()


def test_signed_out_pages_pass_axe_at_360(browser, live_server, app, demo, axe_source):
    stop_list = list(stops(app, person_for("pegawai", demo.id), SIGNED_OUT))
    context, page = phone_page(browser, live_server)
    problems, forbidden = tour(page, "tamu", stop_list, axe_source)
    context.close()
    assert forbidden == []
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_passes_axe_at_360(browser, live_server, app, demo, axe_source,
                                                 role):
    person = person_for(role, demo.id)
    stop_list = list(stops(app, person, signed_in_endpoints(app)))
    context, page = phone_page(browser, live_server)
    sign_in(page, person, DEMO_PASSWORD)
    problems, forbidden = tour(page, role, stop_list, axe_source)
    context.close()
    assert problems == []
    # Each role sees most of the app; only administration stays closed to the others.
    assert len(forbidden) < len(stop_list) / 2, forbidden


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_with_the_longest_values(browser, live_server, app,
                                                          longest_values, axe_source, role):
    """Names, jabatan, units, descriptions and comments at their schemas' maximum length."""
    person = person_for(role, longest_values.id)
    stop_list = list(stops(app, person, signed_in_endpoints(app)))
    context, page = phone_page(browser, live_server)
    sign_in(page, person, DEMO_PASSWORD)
    problems, _forbidden = tour(page, f"{role}-longest", stop_list, axe_source)
    context.close()
    assert problems == []


def test_the_tour_knows_every_page(app):
    """A new page with ids in its URL needs a way to find an id in `tour.ARGUMENTS`."""
    missing = [endpoint for endpoint, rule in page_endpoints(app).items()
               if "<" in rule and endpoint not in ARGUMENTS]
    assert missing == []
