"""Signals of the evaluation cycle, sent inside the unit of work (the receivers flush with it).

``predikat_changed``: an evaluation's predikat was given, acknowledged or changed (sender: the
evaluation; ``actor``: who did it). :mod:`app.followup` answers it with the follow-up the
predikat calls for (recognition or coaching, PermenPANRB 6/2022).
"""

from blinker import Namespace

signals = Namespace()
predikat_changed = signals.signal("predikat-changed")
