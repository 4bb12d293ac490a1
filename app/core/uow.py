"""One unit of work: a request, a job or a command commits once, at its boundary.

Services add, change and flush; they never commit. The boundary decides:

- a request (:class:`UnitOfWorkApp`): an answer below 400 commits; 400 and up, or an
  exception, rolls back. :func:`keep_on_error` keeps the changes of a request that answers
  an error on purpose (a failed sign-in is counted, then refused);
- a job, a CLI command or any code outside a request: ``with unit_of_work(): ...`` commits
  at the end and rolls back on any error.

Events leave only after the commit: listeners on the session's ``after_commit`` (see
``app.notifications.services``) send the named signals of :mod:`app.core.signals`.
"""

from contextlib import contextmanager

from flask import Flask, g

from app.extensions import db

_KEEP = "kinerjaku_keep_on_error"


def keep_on_error() -> None:
    """Commit this request's changes even though it answers with an error status."""
    setattr(g, _KEEP, True)


def finish(status: int) -> None:
    """End the request's transaction: commit below 400 (or when asked to keep), else roll
    back. A failing commit raises to the error handlers (a dead database answers 503)."""
    if status < 400 or g.pop(_KEEP, False):
        db.session.commit()
    else:
        db.session.rollback()


class UnitOfWorkApp(Flask):
    """Flask whose every view runs in one transaction, committed once its answer is known.

    The commit happens inside the dispatch, before the response leaves, so that a commit that
    fails is answered by the same error handlers as a view that fails.
    """

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        finish(response.status_code)
        return response

    def handle_user_exception(self, e):
        # Nothing of a failed request is kept, and the error handlers get a usable session
        # (after a failed flush the old transaction could not even read the locale).
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - a dead connection: drop it, the handler answers
            db.session.invalidate()
        return super().handle_user_exception(e)


@contextmanager
def unit_of_work():
    """Commit what the block did, or roll it all back if it raises."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
