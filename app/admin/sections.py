"""The sections of the administration landing page (/admin), in the order shown.

Each names the page's endpoint; a section belongs to the domain that owns the page. HR
administrators may change what a section shows; pimpinan see the same pages read-only.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    endpoint: str
    title: str
    summary: str


SECTIONS = (
    Section("admin.units", _l("Units"),
            _l("The unit tree: create, rename, move, time zone, deactivate.")),
    Section("admin.people", _l("People"),
            _l("Create, edit, move, change the supervisor, roles, deactivate.")),
    Section("accounts.index", _l("Accounts"),
            _l("Activation codes, password resets and the printable activation sheets.")),
    Section("imports.index", _l("Import"),
            _l("Load people and units from an XLSX or CSV file shaped like a SIASN export.")),
    Section("settings.acting", _l("Acting supervisors"),
            _l("Plt and Plh with their dates.")),
    Section("absences.all_absences", _l("Leave and absence"),
            _l("Leave, sick days, official travel and study: enter, list, import.")),
    Section("settings.holidays", _l("Holidays"),
            _l("National holidays and cuti bersama.")),
    Section("settings.reminders", _l("Reminder rules"),
            _l("When the organisation's people are reminded.")),
    Section("settings.review_policy", _l("Review policy"),
            _l("Automatic acceptance of activities a supervisor has not reviewed.")),
    Section("followup.settings", _l("Follow-up of the assessment"),
            _l("How many days after the assessment an employee may object.")),
    Section("evaluations.periods", _l("Assessment periods"),
            _l("Open, change and close the periods of the self-evaluation.")),
    Section("audit.index", _l("Audit trail"),
            _l("Who changed what and when, with the chain verification.")),
)
