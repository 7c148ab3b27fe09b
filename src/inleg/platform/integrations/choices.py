"""The component choice as the page offers it, and why a pick is refused, in the employer's words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inleg.platform.domain import components as choose
from inleg.platform.domain.components import Fit, Purpose, Reason
from inleg.platform.integrations.models import LoketConnection
from inleg.platform.integrations.services import listed_options


def purpose_label(purpose: Purpose) -> str:
    if purpose == Purpose.EMPLOYER_GROSS:
        return _("bruto werkgeversbijdrage")
    return _("netto inleg van werknemers")


def needs(purpose: Purpose) -> str:
    """What the component must be in Loket.nl for the money to go where it should."""
    if purpose == Purpose.EMPLOYER_GROSS:
        return _(
            "Nodig in Loket.nl: een betaling in de categorie 'Bruto vergoeding volgens tabel', ingesteld op "
            "bruto uitbetaald, netto ingehouden en via excasso naar de pensioenuitvoerder. Zo wordt de bijdrage "
            "bruto verloond en niet aan de werknemer uitbetaald, maar doorgestort."
        )
    return _(
        "Nodig in Loket.nl: een netto inhouding (categorie 'Netto inhouding') die via excasso naar de "
        "pensioenuitvoerder gaat. Zo wordt het bedrag netto van het loon ingehouden en doorgestort."
    )


@dataclass(frozen=True)
class Other:
    component: choose.Listed
    fit: Fit
    why: str  # for an unusual or wrong one: what is the matter with it


@dataclass(frozen=True)
class Picker:
    purpose: Purpose
    label: str
    needs: str
    suitable: list[choose.Listed]
    others: list[Other]


def _why(reason: Reason, purpose: Purpose) -> str:
    match reason:
        case Reason.NO_FIXED_VALUE:
            return _("kan geen vaste waarde hebben")
        case Reason.NOT_A_BENEFIT:
            return _("geen vergoeding of inhouding (bijvoorbeeld loon of een fonds)")
        case Reason.WRONG_DIRECTION:
            return (
                _("een inhouding, geen betaling")
                if purpose == Purpose.EMPLOYER_GROSS
                else _("een betaling, geen inhouding")
            )
        case _:
            return _("andere categorie dan gebruikelijk")


def pickers(connection: LoketConnection, *, change: bool) -> list[Picker]:
    """A choice for each purpose that has no component yet (or all of them when the employer changes one)."""
    listed = listed_options(connection)
    result = []
    for purpose in Purpose:
        if getattr(connection, f"{purpose}_key") is not None and not change:
            continue
        suitable = choose.suitable(listed, purpose)
        others = []
        for component in sorted(listed, key=lambda c: c.key):
            verdict = choose.judge(component, purpose)
            if verdict.fit != Fit.SUITABLE:
                others.append(Other(component, verdict.fit, _why(verdict.reason, purpose)))
        result.append(Picker(purpose, purpose_label(purpose), needs(purpose), suitable, others))
    return result


def refusal(refused: choose.Refused, purpose: Purpose) -> str:
    """Why the platform will not write to the component picked for ``purpose``, and what to do instead."""
    values = {"key": refused.key, "name": refused.description, "purpose": purpose_label(purpose)}
    match refused.reason:
        case Reason.IN_USE:
            return ngettext(
                "Component %(key)s %(name)s wordt in Loket.nl al gebruikt: bij %(count)s dienstverband staan er "
                "waarden op. De inleg zou die waarden vervangen. Kies een component dat alleen voor de inleg is, "
                "of maak er een aan in Loket.nl en controleer opnieuw.",
                "Component %(key)s %(name)s wordt in Loket.nl al gebruikt: bij %(count)s dienstverbanden staan er "
                "waarden op. De inleg zou die waarden vervangen. Kies een component dat alleen voor de inleg is, "
                "of maak er een aan in Loket.nl en controleer opnieuw.",
                refused.in_use,
            ) % {**values, "count": refused.in_use}
        case Reason.OTHER_PURPOSE:
            text = _(
                "Component %(key)s %(name)s is al gekozen voor het andere doel; kies voor de %(purpose)s een "
                "eigen component."
            )
        case Reason.UNCONFIRMED:
            text = _(
                "Component %(key)s %(name)s is niet het gebruikelijke soort component voor de %(purpose)s. Kies het "
                "alleen via 'Toon alle componenten' en bevestig daar dat het in Loket.nl zo is ingericht."
            )
        case Reason.WRONG_DIRECTION if purpose == Purpose.EMPLOYER_GROSS:
            text = _(
                "Component %(key)s %(name)s is een inhouding; de %(purpose)s moet een betaling zijn. "
                "Kies een ander component."
            )
        case Reason.WRONG_DIRECTION:
            text = _(
                "Component %(key)s %(name)s is een betaling; de %(purpose)s moet een inhouding zijn. "
                "Kies een ander component."
            )
        case Reason.NO_FIXED_VALUE:
            text = _(
                "Component %(key)s %(name)s kan geen vaste waarde hebben (zoals uren of een totaal). "
                "Kies een ander component."
            )
        case _:
            text = _(
                "Component %(key)s %(name)s is geen vergoeding of inhouding (zoals het salaris of een fonds): de "
                "inleg zou op het verkeerde bedrag komen. Kies een ander component."
            )
    return text % values
