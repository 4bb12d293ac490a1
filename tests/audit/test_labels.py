"""Every kind of audit entry the services write has its words on the trail page.

A code without words is shown as stored ("open", "coaching_plan"): English keys on an
Indonesian page. The codes are read from the calls themselves, so a new one fails here.
"""

import ast
from pathlib import Path

from app.absences.models import AbsenceStatus
from app.audit import labels

APP = Path(__file__).resolve().parents[2] / "app"
#: Each domain's helper around ``audit.record``: (subject, index of the action argument);
#: subject None means the subject is an argument too, just before the action.
HELPERS = {"targets": ("skp", 2), "activities": ("activity", 2),
           "evaluations": ("evaluation", 2), "followup": (None, 3)}


def _strings(node, constants: dict) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) | _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    return set()


def written_codes() -> tuple[set[str], set[str]]:
    subjects, actions = set(), set()
    for path in APP.rglob("*.py"):
        if path.parent.name == "audit":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                     for t in n.targets if isinstance(t, ast.Name)}
        domain = path.relative_to(APP).parts[0]
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("record", "_record"):
                continue
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "audit":
                subject, action = call.args[3], call.args[5]
            elif domain in HELPERS and len(call.args) > HELPERS[domain][1]:
                fixed, index = HELPERS[domain]
                subject = ast.Constant(fixed) if fixed else call.args[index - 1]
                action = call.args[index]
            else:
                continue
            subjects |= _strings(subject, constants)
            actions |= _strings(action, constants)
    return subjects, actions


def test_every_written_code_has_words():
    subjects, actions = written_codes()
    # The absence decision writes the new status as its action.
    actions |= {AbsenceStatus.APPROVED.value, AbsenceStatus.REJECTED.value}
    assert {"absence", "coaching_plan", "dialog"} <= subjects  # the scan finds the writers
    assert {"open", "request", "cancel", "withdraw", "assess"} <= actions
    assert subjects - set(labels.ITEM_TYPES) == set()
    assert actions - set(labels.ACTIONS) == set()
