"""BerAKHLAK: the seven core values of perilaku kerja, each with its three behaviour guides
(panduan perilaku), in the order of the evaluation form."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.feedback.models import Value


@dataclass(frozen=True)
class CoreValue:
    value: Value
    #: A proper name, the same in every language.
    name: str
    guides: tuple


VALUES = (
    CoreValue(Value.BERORIENTASI_PELAYANAN, "Berorientasi Pelayanan", (
        _l("Understands and meets the needs of the public."),
        _l("Friendly, quick to respond, solution-oriented and reliable."),
        _l("Keeps improving the quality of service."))),
    CoreValue(Value.AKUNTABEL, "Akuntabel", (
        _l("Carries out duties honestly, responsibly, carefully, with discipline and high "
           "integrity."),
        _l("Uses state assets responsibly, effectively and efficiently."),
        _l("Does not abuse their authority."))),
    CoreValue(Value.KOMPETEN, "Kompeten", (
        _l("Keeps developing their abilities to meet ever-changing challenges."),
        _l("Helps others learn."),
        _l("Does their work with the best quality."))),
    CoreValue(Value.HARMONIS, "Harmonis", (
        _l("Respects everyone whatever their background."),
        _l("Is ready to help others."),
        _l("Builds a conducive working environment."))),
    CoreValue(Value.LOYAL, "Loyal", (
        _l("Upholds Pancasila, the 1945 Constitution, loyalty to the Unitary State of the "
           "Republic of Indonesia and lawful government."),
        _l("Protects the good name of fellow ASN, leaders, the agency and the state."),
        _l("Keeps state secrets."))),
    CoreValue(Value.ADAPTIF, "Adaptif", (
        _l("Adapts quickly to change."),
        _l("Keeps innovating and developing creativity."),
        _l("Acts proactively."))),
    CoreValue(Value.KOLABORATIF, "Kolaboratif", (
        _l("Gives others the opportunity to contribute."),
        _l("Is open to working together to create added value."),
        _l("Pools resources for a shared goal."))),
)

BY_VALUE = {core.value: core for core in VALUES}
