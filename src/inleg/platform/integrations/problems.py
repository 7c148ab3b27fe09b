"""What went wrong with Loket.nl, said in one place: a code to record, plain Dutch for the employer.

The client's typed errors carry paths, statuses and Loket's own words (``invalid_grant``, ids); those
go to the log. A page shows only what happened, what it means and what to do.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.utils.translation import gettext as _

from inleg.loket import errors

log = logging.getLogger("inleg.platform.loket")


class Problem(StrEnum):
    BUSY = "busy"  # 429: Loket asks to slow down
    LOKET_FAULT = "loket_fault"  # 5xx
    UNREACHABLE = "unreachable"  # no answer, or not in time
    UNREADABLE = "unreadable"  # an answer that is not what Loket sends
    NO_ACCESS = "no_access"  # 403
    NOT_FOUND = "not_found"  # 404
    NOT_AUTHORISED = "not_authorised"  # 401 with a fresh token, or a refresh token refused: user or consent gone
    CLIENT_REJECTED = "client_rejected"  # invalid_client: the platform's own registration at Loket
    REFUSED = "refused"  # another OAuth refusal
    INPUT_REFUSED = "input_refused"  # 400/409 on something we sent
    UNKNOWN = "unknown"


def classify(error: BaseException) -> Problem:
    match error:
        case errors.RateLimited():
            return Problem.BUSY
        case errors.ServerError():
            return Problem.LOKET_FAULT
        case errors.TransportError():
            return Problem.UNREACHABLE
        case errors.MalformedResponse():
            return Problem.UNREADABLE
        case errors.Forbidden():
            return Problem.NO_ACCESS
        case errors.NotFound():
            return Problem.NOT_FOUND
        case errors.Unauthorized() | errors.InvalidGrant():
            return Problem.NOT_AUTHORISED
        case errors.InvalidClient():
            return Problem.CLIENT_REJECTED
        case errors.OAuthError():
            return Problem.REFUSED
        case errors.BadRequest() | errors.Conflict():
            return Problem.INPUT_REFUSED
    return Problem.UNKNOWN


def explain(problem: Problem | str) -> str:
    """What happened and what to do, in words for the employer."""
    texts = {
        Problem.BUSY: _(
            "Loket.nl kreeg te veel verzoeken tegelijk en vroeg om even te wachten. "
            "Probeer het over een paar minuten opnieuw."
        ),
        Problem.LOKET_FAULT: _("Loket.nl had een storing en gaf geen antwoord. Probeer het later opnieuw."),
        Problem.UNREACHABLE: _("Loket.nl was niet bereikbaar of antwoordde niet op tijd. Probeer het later opnieuw."),
        Problem.UNREADABLE: _(
            "Loket.nl gaf een antwoord dat het platform niet kon lezen. Probeer het later opnieuw; "
            "blijft dit gebeuren, neem dan contact op met Pensify."
        ),
        Problem.NO_ACCESS: _(
            "Loket.nl gaf de Loket.nl-gebruiker geen toegang tot deze gegevens. Controleer de rechten van de "
            "gebruiker in Loket.nl en controleer opnieuw."
        ),
        Problem.NOT_FOUND: _("Loket.nl kent deze gegevens niet (meer). Controleer de koppeling opnieuw."),
        Problem.NOT_AUTHORISED: _(
            "De Loket.nl-gebruiker is niet actief meer of de toestemming is ingetrokken of verlopen: "
            "autoriseer Loket.nl opnieuw."
        ),
        Problem.CLIENT_REJECTED: _(
            "Loket.nl herkent het platform niet: de aanmelding van Pensify bij Loket.nl is niet in orde. "
            "Neem contact op met Pensify."
        ),
        Problem.REFUSED: _("Loket.nl weigerde de autorisatie. Begin opnieuw met Autoriseer Loket.nl."),
        Problem.INPUT_REFUSED: _(
            "Loket.nl weigerde het verzoek. Probeer het opnieuw; blijft dit gebeuren, neem dan contact op met Pensify."
        ),
        Problem.UNKNOWN: _("Er ging iets mis in het contact met Loket.nl. Probeer het later opnieuw."),
    }
    try:
        return texts[Problem(problem)]
    except ValueError:
        return texts[Problem.UNKNOWN]


def plain(error: BaseException, where: str = "", *, connection_id: int | None = None) -> str:
    """The employer's words for ``error``; the detail is logged."""
    log.warning("loket %s (connection %s): %s: %s", where or "call", connection_id, type(error).__name__, error)
    return explain(classify(error))
