"""The one status a connection shows, worded once for every page: its badge and its message.

A state shown is a state a check established; a check that could not finish says so and names the last
known state, instead of passing for missing rights. One message at a time: what happened, what it means,
what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from inleg.platform.integrations import problems
from inleg.platform.integrations.models import LoketConnection, State


@dataclass(frozen=True)
class Status:
    label: str  # the badge
    css: str  # the badge's class: a state, or check_failed
    level: str  # "success", "warning", "error" or "" (nothing to say)
    text: str  # the message

    @property
    def usable(self) -> bool:
        """The connection is active as of a check that finished (what the pages may build on)."""
        return self.css == State.ACTIVE


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return str(formats.date_format(timezone.localtime(moment), "j F Y H:i"))


def employer_label(connection: LoketConnection) -> str:
    return " ".join(str(p) for p in (connection.employer_number, connection.employer_name) if p)


def status_of(connection: LoketConnection | None) -> Status:
    if connection is None or connection.state == State.DISCONNECTED:
        label = _("verbroken") if connection is not None else _("niet gekoppeld")
        return Status(label, State.DISCONNECTED, "", "")
    state = State(connection.state)
    if state == State.REAUTHORIZE or not connection.has_tokens:
        text = connection.notice or problems.explain(problems.Problem.NOT_AUTHORISED)
        return Status(str(State.REAUTHORIZE.label), State.REAUTHORIZE, "error", text)
    if connection.check_failed:
        reason = problems.explain(connection.check_failure)
        if state == State.UNCHECKED:
            after = _("Er is nog geen controle afgerond; er wordt niets ingelezen tot een controle slaagt.")
        else:
            after = _(
                "Tot een controle slaagt, geldt de laatst bekende status: %(state)s (gecontroleerd op %(when)s)."
            ) % {
                "state": state.label,
                "when": _when(connection.checked_at),
            }
        text = " ".join((_("Controle mislukt, probeer het opnieuw."), reason, after))
        return Status(_("controle mislukt"), "check_failed", "warning", text)
    if state == State.EMPLOYER_TAKEN:
        text = _(
            "Werkgever %(employer)s is op dit platform al aan een ander bedrijf gekoppeld. Een werkgever in "
            "Loket.nl hoort bij één bedrijf; de gegevens worden niet nog eens ingelezen. Laat die koppeling eerst "
            "verbreken en controleer dan opnieuw, of autoriseer met de Loket.nl-gebruiker van een andere werkgever."
        ) % {"employer": employer_label(connection)}
        return Status(str(state.label), state, "error", text)
    if state == State.MISSING_RIGHTS:
        text = connection.notice or _(
            "Geef de Loket.nl-gebruiker de ontbrekende rechten in Loket.nl en controleer opnieuw. Tot dan "
            "blijft de koppeling op 'rechten ontbreken' en wordt er niets ingelezen."
        )
        return Status(str(state.label), state, "warning", text)
    if state == State.CHOOSE_EMPLOYER:
        text = _("Deze Loket.nl-gebruiker bereikt meer dan één werkgever: kies hieronder de werkgever die u koppelt.")
        return Status(str(state.label), state, "warning", text)
    if state == State.UNCHECKED:
        return Status(
            str(state.label), state, "warning", _("De koppeling is nog niet gecontroleerd: controleer opnieuw.")
        )
    if connection.notice:  # active, but Loket lacks something the platform needs (no payroll administration)
        return Status(str(state.label), state, "warning", connection.notice)
    return Status(str(state.label), state, "success", _("De koppeling is actief."))
