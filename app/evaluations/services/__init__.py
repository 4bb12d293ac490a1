"""The evaluation cycle, one module per job; this package re-exports their public names, so
callers keep writing ``from app.evaluations import services``.

- :mod:`.periods`: the organisation's evaluation periods and their deadlines;
- :mod:`.common`: who may read and assess an evaluation, loading it, its version and audit;
- :mod:`.self_evaluation`: the employee opens, writes and submits the self-evaluation;
- :mod:`.evidence`: bukti dukung per RHK (links, and files through :mod:`app.core.uploads`);
- :mod:`.assessment`: the appraiser returns, reopens and assesses; the employee acknowledges;
- :mod:`.units`: unit predicates and the distribution of the predikat against them;
- :mod:`.document`: the evaluation form and its PDF.

Every function takes the acting person explicitly, flushes and never commits (the request or
job commits: :mod:`app.core.uow`). Anything of another organisation, or outside the caller's
reach, is answered 404 as if it did not exist; what the caller may see but not do is 403.
"""

from app.evaluations.services.assessment import (
    acknowledge_evaluation,
    assess_evaluation,
    plain_rating,
    reopen_evaluation,
    return_evaluation,
    team_evaluations,
)
from app.evaluations.services.common import (
    SUBJECT,
    StateConflict,
    appraisees,
    current_copy,
    decorate,
    get_evaluation,
    history,
    may_assess,
    may_read,
)
from app.evaluations.services.document import document_data, document_pdf
from app.evaluations.services.evidence import (
    add_evidence,
    add_evidence_file,
    delete_evidence,
    get_evidence,
)
from app.evaluations.services.periods import (
    DEFAULT_DEADLINE_WORKING_DAYS,
    create_period,
    deadline_passed,
    delete_period,
    generate_periods,
    get_period,
    list_periods,
    standard_periods,
    update_period,
)
from app.evaluations.services.self_evaluation import (
    my_evaluations,
    open_evaluation,
    refresh_from_logs,
    save_self_evaluation,
    submit_evaluation,
)
from app.evaluations.services.units import (
    distribution,
    explain,
    may_set_unit_predicate,
    set_unit_predicate,
    unit_head,
    unit_predicate,
    unit_predicates,
)

__all__ = [
    "DEFAULT_DEADLINE_WORKING_DAYS",
    "SUBJECT",
    "StateConflict",
    "acknowledge_evaluation",
    "add_evidence",
    "add_evidence_file",
    "appraisees",
    "assess_evaluation",
    "create_period",
    "current_copy",
    "deadline_passed",
    "decorate",
    "delete_evidence",
    "delete_period",
    "distribution",
    "document_data",
    "document_pdf",
    "explain",
    "generate_periods",
    "get_evaluation",
    "get_evidence",
    "get_period",
    "history",
    "list_periods",
    "may_assess",
    "may_read",
    "may_set_unit_predicate",
    "my_evaluations",
    "open_evaluation",
    "plain_rating",
    "refresh_from_logs",
    "reopen_evaluation",
    "return_evaluation",
    "save_self_evaluation",
    "set_unit_predicate",
    "standard_periods",
    "submit_evaluation",
    "team_evaluations",
    "unit_head",
    "unit_predicate",
    "unit_predicates",
    "update_period",
]
