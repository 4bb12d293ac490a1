"""Words for the audit trail's codes: what was done, to what kind of item, which field.

The codes are those the services write (``audit.record(..., subject_type, ..., action, ...)``
across the domains). A code missing here is shown as it is stored, so a new kind of entry
is never hidden, only less readable until it gets its words.
"""

from flask_babel import lazy_gettext as _l

#: subject_type -> what the item is.
ITEM_TYPES = {
    "activity": _l("Activity"),
    "skp": _l("SKP"),
    "evaluation": _l("Evaluation"),
    "unit_predicate": _l("Unit predicate"),
    "acting_assignment": _l("Acting assignment (Plt/Plh)"),
    "person": _l("Person"),
    "unit": _l("Unit"),
    "reminder_rule": _l("Reminder rule"),
    "holiday": _l("Holiday"),
    "import": _l("Import"),
    "absence": _l("Leave or absence"),
    "review_policy": _l("Review policy"),
    "dialog": _l("Performance dialogue"),
    "objection": _l("Objection"),
    "follow_up_policy": _l("Follow-up policy"),
    "coaching_plan": _l("Coaching plan"),
    "recognition": _l("Recognition"),
    "training": _l("Training"),
    "mentoring_pair": _l("Mentoring pair"),
    "development_settings": _l("Competency development settings"),
    "citizen_message": _l("Citizen's message"),
}

#: action -> what was done.
ACTIONS = {
    "create": _l("Created"),
    "answer": _l("Answered"),
    "publish": _l("Answer published"),
    "unpublish": _l("Answer withdrawn from the survey page"),
    "certificate": _l("Certificate attached"),
    "training_ask": _l("Training asked"),
    "training_attach": _l("Training record attached"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "submit": _l("Submitted"),
    "approve": _l("Approved"),
    "return": _l("Returned"),
    "attach": _l("Evidence attached"),
    "detach": _l("Evidence removed"),
    "evidence_add": _l("Evidence attached"),
    "evidence_delete": _l("Evidence removed"),
    "rhk_add": _l("RHK added"),
    "rhk_update": _l("RHK changed"),
    "rhk_delete": _l("RHK deleted"),
    "indicator_add": _l("Indicator added"),
    "indicator_update": _l("Indicator changed"),
    "indicator_delete": _l("Indicator deleted"),
    "refresh": _l("Refreshed"),
    "reopen": _l("Reopened"),
    "assess": _l("Assessed"),
    "acknowledge": _l("Acknowledged"),
    "set": _l("Set"),
    "issue_activation_code": _l("Activation code issued"),
    "activate": _l("Account activated"),
    "deactivate": _l("Deactivated"),
    "reactivate": _l("Reactivated"),
    "import_people": _l("People imported"),
    "import_units": _l("Units imported"),
    "request": _l("Requested"),
    "enter": _l("Entered"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "cancel": _l("Cancelled"),
    "confirm": _l("Confirmed"),
    "action_done": _l("Agreed action done"),
    "file": _l("Filed"),
    "decide": _l("Decided"),
    "open": _l("Opened"),
    "close": _l("Closed"),
    "predikat": _l("Predikat changed"),
    "session_add": _l("Coaching session added"),
    "session_update": _l("Coaching session changed"),
    "issue": _l("Issued"),
    "revoke": _l("Revoked"),
    "restore": _l("Restored"),
    "withdraw": _l("Withdrawn"),
    "expectations": _l("Leader's expectations set"),
    "annex": _l("Annex changed"),
    "indicator_split": _l("Targets per period changed"),
}

#: Field names of ``changes`` that people read often.
FIELDS = {
    "status": _l("status"),
    "description": _l("description"),
    "date": _l("date"),
    "start_time": _l("start"),
    "end_time": _l("end"),
    "quantity": _l("quantity"),
    "unit": _l("unit"),
    "target_id": _l("target"),
    "name": _l("name"),
    "nip": _l("NIP"),
    "jabatan": _l("position"),
    "unit_id": _l("unit"),
    "supervisor_id": _l("supervisor"),
    "roles": _l("roles"),
    "active": _l("active"),
    "reason": _l("reason"),
    "filename": _l("file"),
    "starts_on": _l("from"),
    "ends_on": _l("until"),
    "predikat": _l("predikat"),
}

#: The longest value shown in a summary on the page (the XLSX keeps everything).
SHORT_VALUE = 80


class Wording:
    """The words above in the current language, looked up once (an export describes a
    hundred thousand entries; each lazy string would otherwise be translated again)."""

    def __init__(self):
        self.item_types = {code: str(words) for code, words in ITEM_TYPES.items()}
        self.actions = {code: str(words) for code, words in ACTIONS.items()}
        self.fields = {code: str(words) for code, words in FIELDS.items()}
        self.yes, self.no = str(_l("yes")), str(_l("no"))

    def item_type(self, code: str) -> str:
        return self.item_types.get(code, code)

    def action(self, code: str) -> str:
        return self.actions.get(code, code)

    def value(self, value, limit: int | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return self.yes if value else self.no
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if limit is not None and len(text) > limit:
            return text[:limit - 1] + "…"
        return text

    def summary(self, action: str, changes: dict | None, *,
                limit: int | None = SHORT_VALUE) -> str:
        """"status: submitted → approved; quantity: 2" — an edit's old and new values, a
        create's values; ``limit`` shortens each value (None keeps them whole)."""
        parts = []
        pairs = not _holds_values(action)
        for key, change in (changes or {}).items():
            name = self.fields.get(key, key)
            if pairs and isinstance(change, list) and len(change) == 2:
                parts.append(f"{name}: {self.value(change[0], limit)} → "
                             f"{self.value(change[1], limit)}")
            else:
                parts.append(f"{name}: {self.value(change, limit)}")
        return "; ".join(parts)


def _holds_values(action: str) -> bool:
    """Whether an entry's changes are plain values (a create) rather than [old, new]."""
    return action == "create" or action.endswith("_add") or action.startswith("import_")
