"""A typed client for the Loket.nl REST API v2 and its OAuth, with no Django inside.

    from inleg.loket import LoketClient, LoketOAuth

    oauth = LoketOAuth(client_id, client_secret, oauth_url="https://oauth.loket.nl", redirect_uri=...)
    url = oauth.authorization_url(state, code_verifier)           # send the browser there
    tokens = oauth.exchange_code(code, code_verifier)             # TokenSet (access, refresh, expires_at)
    tokens = oauth.refresh(tokens.refresh_token)                  # rotates: the old refresh token is dead

    client = LoketClient(api_url="https://api.loket.nl/v2", token=lambda: tokens.access_token)
    employers = client.employers()
    activities = client.authorizations(employers[0].id)           # set of operationIds
    for employment in client.employments(employers[0].id): ...
    wages = {w.employment_id: w for w in client.actual_wages(employers[0].id)}      # the whole employer

Both take ``transport=`` (an ``httpx.BaseTransport``), so tests run the real sandbox in-process.
"""

from inleg.loket import errors
from inleg.loket.client import LoketClient, RetryPolicy
from inleg.loket.models import (
    BenefitAndDeduction,
    BenefitEnd,
    CollectiveAction,
    Employee,
    Employer,
    Employment,
    NewBenefit,
    PayrollAdministration,
    PayrollComponent,
    PayrollPeriod,
    PayrollRunSummary,
    PeriodResult,
    ResultLine,
    SkippedItem,
    VersionNumber,
    Wage,
    WorkingHours,
)
from inleg.loket.oauth import LoketOAuth, TokenSet, new_code_verifier, new_state

__all__ = [
    "BenefitAndDeduction",
    "BenefitEnd",
    "CollectiveAction",
    "Employee",
    "Employer",
    "Employment",
    "LoketClient",
    "LoketOAuth",
    "NewBenefit",
    "PayrollAdministration",
    "PayrollComponent",
    "PayrollPeriod",
    "PayrollRunSummary",
    "PeriodResult",
    "ResultLine",
    "RetryPolicy",
    "SkippedItem",
    "TokenSet",
    "VersionNumber",
    "Wage",
    "WorkingHours",
    "errors",
    "new_code_verifier",
    "new_state",
]
