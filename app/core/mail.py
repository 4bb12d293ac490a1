"""Plain-text e-mail over SMTP, only when ``MAIL_SERVER`` is configured.

Nothing depends on e-mail: it is an extra way to hand over what also goes on paper. Mail is
sent after the commit (:func:`send_after_commit`), so a rolled-back request sends nothing,
and a mail server that fails is logged, never turned into an error for the user.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.core.uow import after_commit

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def message(to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_SENDER"]
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def send(mail: EmailMessage) -> bool:
    """Send now; False (and a log line) when the server cannot be reached or refuses."""
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                          timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("E-mail to %s not sent: %s", mail["To"], error)
        return False
    return True


def send_after_commit(mail: EmailMessage) -> None:
    """Send ``mail`` once the unit of work has committed; never if it rolls back."""
    after_commit(lambda: send(mail))
