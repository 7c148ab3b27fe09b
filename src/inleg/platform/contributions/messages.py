"""The contributions' failures said in one place, in plain Dutch: which field, which value, what to do.

The domain's errors (``DomainError(field, value, problem)``) carry English problem texts for the log and the
developer; a page never shows those. ``explain`` names the field as the employer knows it, the value that was
refused, and what to do about it. Loket's errors are said as integrations/problems.py says them.
``refusal`` says the same for a write run's failure line, with who must act on it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inleg.loket import errors as loket_errors
from inleg.platform.contributions.models import WhoMustAct
from inleg.platform.contributions.services import NotReady, PeriodAlreadyRun
from inleg.platform.domain.contributions import errors as contribution_errors
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents, InvalidAmount, InvalidPercentage
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
    if isinstance(value, Cents):  # an amount as the employer writes it, not the type's repr
        return f" “{euro(value)}”"
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


def who_must_act(error: BaseException) -> WhoMustAct:
    """Who can make a failed write succeed: the employer (the coupling, the components, the scheme), the payroll
    administrator (Loket's data: periods, salaries), or Pensify (anything else: our fault, not theirs)."""
    if isinstance(error, NotReady):
        return WhoMustAct.WERKGEVER
    if isinstance(error, contribution_errors.NoOpenPeriod | contribution_errors.InvalidPeriod):
        return WhoMustAct.SALARISADMINISTRATEUR
    if isinstance(error, contribution_errors.InvalidSalary) or (
        isinstance(error, InvalidAmount) and error.field == "salary"
    ):
        return WhoMustAct.SALARISADMINISTRATEUR
    if isinstance(error, contribution_errors.UnknownPeriod):
        return WhoMustAct.WERKGEVER
    return WhoMustAct.PLATFORM


def refusal(error: BaseException) -> tuple[str, WhoMustAct]:
    """(reason, who must act) for an employment a write run could not write, in plain Dutch: what happened and
    what to do; the error itself goes to the log, never onto the page."""
    if isinstance(error, loket_errors.Forbidden):
        return (
            _(
                "Loket.nl weigert het schrijven: de gekoppelde Loket.nl-gebruiker mist het recht om vaste gegevens "
                "van werknemers te wijzigen. Geef die gebruiker het recht in Loket.nl en schrijf opnieuw."
            ),
            WhoMustAct.WERKGEVER,
        )
    if isinstance(error, loket_errors.Conflict):
        return (
            _(
                "Loket.nl had de waarde tussendoor gewijzigd. Schrijf opnieuw; Pensify leest Loket.nl dan eerst "
                "opnieuw."
            ),
            WhoMustAct.PLATFORM,
        )
    if isinstance(error, loket_errors.BadRequest | loket_errors.NotFound):
        # Loket's own words say which value it refused (the issue asks for them); they are Dutch already.
        detail = str(getattr(error, "detail", "") or "").strip()
        if detail:
            return (
                _("Loket.nl weigert de waarde: %(detail)s. Controleer dit dienstverband in Loket.nl.")
                % {"detail": detail.rstrip(".")},
                WhoMustAct.SALARISADMINISTRATEUR,
            )
        return (
            _("Loket.nl weigert de waarde zonder reden te geven. Controleer dit dienstverband in Loket.nl."),
            WhoMustAct.SALARISADMINISTRATEUR,
        )
    if isinstance(error, loket_errors.RateLimited | loket_errors.ServerError | loket_errors.TransportError):
        return (_("Loket.nl was niet bereikbaar. Schrijf later opnieuw."), WhoMustAct.PLATFORM)
    if isinstance(error, loket_errors.LoketError):
        problem = problems.classify(error)
        who = (
            WhoMustAct.WERKGEVER
            if problem in (problems.Problem.NOT_AUTHORISED, problems.Problem.REFUSED)
            else WhoMustAct.PLATFORM
        )
        return (problems.explain(problem), who)
    if isinstance(error, DomainError):
        return (explain(error), who_must_act(error))
    return (
        _("Er ging iets mis bij Pensify tijdens het schrijven. Wij zoeken het uit; u hoeft niets te doen."),
        WhoMustAct.PLATFORM,
    )
