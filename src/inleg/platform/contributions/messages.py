"""The contributions' failures said in one place, in plain Dutch: which field, which value, what to do.

The domain's errors (``DomainError(field, value, problem)``) carry English problem texts for the log and the
developer; a page never shows those. ``explain`` names the field as the employer knows it, the value that was
refused, and what to do about it. Loket's errors are said as integrations/problems.py says them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inleg.loket import errors as loket_errors
from inleg.platform.contributions.services import NotReady, PeriodAlreadyRun
from inleg.platform.domain.contributions import errors as contribution_errors
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import InvalidAmount, InvalidPercentage
from inleg.platform.integrations import problems


def _field(field: str) -> str:
    names = {
        "amount": _("Het bedrag"),
        "bedrag": _("Het bedrag"),
        "percent": _("Het percentage"),
        "percentage": _("Het percentage"),
        "from_period": _("De periode"),
        "group": _("De groep"),
        "employments": _("De gekozen werknemers"),
        "rule": _("De keuze"),
        "regel": _("De keuze"),
        "salary": _("Het salaris"),
        "cutoff_working_days": _("De afsluitdatum"),
    }
    return names.get(field, _("De waarde"))


def _value(value: object) -> str:
    if value is None or value == "" or value == []:
        return ""
    return f" “{value}”"


def explain(error: BaseException) -> str:
    """One message for the employer: what was refused and what to do."""
    if isinstance(error, loket_errors.LoketError):
        return problems.explain(problems.classify(error))
    if not isinstance(error, DomainError):
        return _("Er ging iets mis bij Pensify. Probeer het opnieuw; lukt het niet, neem dan contact met ons op.")
    # Our own services' problem texts are Dutch already (NotReady, PeriodAlreadyRun): shown with the field.
    field, shown = _field(error.field), _value(error.value)
    if isinstance(error, NotReady):
        return _("Nog niet klaar om in te leggen: %(problem)s.") % {"problem": error.problem}
    if isinstance(error, PeriodAlreadyRun):
        return _("Periode%(value)s kan niet meer: %(problem)s. Kies die periode of een latere.") % {
            "value": shown,
            "problem": error.problem,
        }
    amount_field = error.field in ("amount", "bedrag") and not isinstance(error, InvalidPercentage)
    if isinstance(error, InvalidAmount) or amount_field:
        return _(
            "%(field)s%(value)s is geen bedrag in euro's. Vul een bedrag in zoals 50,00 (hoogstens twee cijfers "
            "achter de komma, niet negatief en hoogstens 100.000.000,00)."
        ) % {"field": field, "value": shown}
    if isinstance(error, InvalidPercentage) or error.field in ("percent", "percentage"):
        return _(
            "%(field)s%(value)s is geen geldig percentage. Vul een getal van 0 tot en met 100 in, zoals 3,5 "
            "(hoogstens vier cijfers achter de komma)."
        ) % {"field": field, "value": shown}
    if isinstance(error, contribution_errors.NoOpenPeriod):
        return _(
            "Er is geen open loonperiode meer waarin deze wijziging kan ingaan. De salarisadministrateur opent de "
            "volgende perioden in Loket.nl; probeer het daarna opnieuw."
        )
    if isinstance(error, contribution_errors.UnknownPeriod | contribution_errors.InvalidPeriod):
        return _("%(field)s%(value)s staat niet in de loonperioden van Loket.nl. Kies een periode uit de lijst.") % {
            "field": field,
            "value": shown,
        }
    if isinstance(error, contribution_errors.InvalidSalary):
        unknown = _("Het salaris%(value)s is onbekend of ongeldig. De salarisadministrateur legt het vast in Loket.nl.")
        return unknown % {"value": shown}
    if isinstance(error, contribution_errors.InvalidCutoff):
        return _("De afsluitdatum%(value)s moet een heel aantal werkdagen van 0 tot en met 20 zijn.") % {"value": shown}
    if error.field == "group":
        return _("Kies ten minste één werknemer voor de groep, of kies alle werknemers.")
    if error.field == "personeelsnummers":
        return _("Deze personeelsnummers kent Pensify niet bij dit bedrijf:%(value)s. Controleer de lijst.") % {
            "value": shown
        }
    if error.field == "employments":
        return _("De gekozen werknemers%(value)s horen niet bij dit bedrijf. Kies werknemers uit de lijst.") % {
            "value": shown
        }
    if error.field in ("rule", "regel"):
        return _("Kies een vast bedrag of een percentage.")
    return _("%(field)s%(value)s is niet geldig. Controleer wat u invulde en probeer het opnieuw.") % {
        "field": field,
        "value": shown,
    }
