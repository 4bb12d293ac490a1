"""What every page may show of activities: their states, kinds of work and history actions, in
the words of UX.md."""

from flask_babel import lazy_gettext as _l

#: Activity states in the words of UX.md.
STATUS_LABELS = {
    "draft": _l("draft"),
    "submitted": _l("waiting for approval"),
    "approved": _l("approved"),
    "returned": _l("returned"),
}
#: Work that serves no SKP indicator.
WORK_KIND_LABELS = {
    "skp": _l("SKP target"),
    "tambahan": _l("Additional task"),
    "lainnya": _l("Other work"),
}
#: Audit actions as the history shows them.
ACTION_LABELS = {
    "create": _l("created"), "update": _l("edited"), "submit": _l("submitted"),
    "approve": _l("approved"), "return": _l("returned"), "attach": _l("added evidence"),
    "detach": _l("removed evidence"), "withdraw": _l("withdrawn"), "delete": _l("deleted"),
}


def inject_labels() -> dict:
    return {"status_labels": STATUS_LABELS, "work_kind_labels": WORK_KIND_LABELS,
            "action_labels": ACTION_LABELS}


def init_templating(app) -> None:
    app.context_processor(inject_labels)
