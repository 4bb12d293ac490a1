"""The nine SKM questions as a citizen reads them, each with its four labelled answers (1-4).

Worded after the sample questionnaire of PermenPANRB 14/2017, addressing the reader as
*Anda*. Field names u1..u9 follow the regulation's order of unsur.
"""

from flask_babel import lazy_gettext as _l

QUESTIONS = (
    ("u1", _l("Do the requirements of this service match the kind of service?"),
     (_l("Not suitable"), _l("Less suitable"), _l("Suitable"), _l("Very suitable"))),
    ("u2", _l("How easy is the procedure of this service?"),
     (_l("Not easy"), _l("Less easy"), _l("Easy"), _l("Very easy"))),
    ("u3", _l("How fast was the service given?"),
     (_l("Not fast"), _l("Less fast"), _l("Fast"), _l("Very fast"))),
    ("u4", _l("How fair is the cost or fee of this service?"),
     (_l("Very expensive"), _l("Rather expensive"), _l("Cheap"), _l("Free of charge"))),
    ("u5", _l("Does what you received match what the service standard promises?"),
     (_l("Not suitable"), _l("Less suitable"), _l("Suitable"), _l("Very suitable"))),
    ("u6", _l("How competent were the staff who served you?"),
     (_l("Not competent"), _l("Less competent"), _l("Competent"), _l("Very competent"))),
    ("u7", _l("How polite and friendly were the staff who served you?"),
     (_l("Not polite and friendly"), _l("Less polite and friendly"),
      _l("Polite and friendly"), _l("Very polite and friendly"))),
    ("u8", _l("How are complaints, suggestions and feedback handled here?"),
     (_l("There is no way to complain"), _l("There is one but it does not work"),
      _l("It works but not fully"), _l("They are handled well"))),
    ("u9", _l("How good are the facilities and infrastructure?"),
     (_l("Bad"), _l("Fair"), _l("Good"), _l("Very good"))),
)
