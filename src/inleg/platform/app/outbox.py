"""A mail backend that keeps every message in the database (``OutboxMessage``): the demo's mail, shown to the
employer on the outbox page. Select it with PLATFORM_EMAIL_BACKEND=inleg.platform.app.outbox.DatabaseBackend.

Which company a message belongs to comes from the ``X-Pensify-Company`` header the sender sets (the header is
not kept); a message without it belongs to no company's outbox.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

COMPANY_HEADER = "X-Pensify-Company"


class DatabaseBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from inleg.platform.app.models import OutboxMessage

        sent = 0
        for message in email_messages:
            company = message.extra_headers.get(COMPANY_HEADER, "")
            OutboxMessage.objects.create(
                company_id=int(company) if str(company).isdigit() else None,
                subject=str(message.subject)[:300],
                body=str(message.body),
                from_email=str(message.from_email),
                to=[str(a) for a in message.to],
            )
            sent += 1
        return sent
