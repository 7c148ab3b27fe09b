"""``If-Match`` on writes: a stale entity tag is a 409."""

from __future__ import annotations

from inleg.sandbox.api.context import Context
from inleg.sandbox.api.errors import ApiError, message


def check_if_match(ctx: Context, current: str) -> None:
    """A stale ``If-Match`` is a 409 (Loket declares no 412); an absent one is accepted."""
    wanted = ctx.request.META.get("HTTP_IF_MATCH")
    if wanted is None:
        return
    tags = [t.strip().removeprefix("W/") for t in wanted.split(",")]
    if "*" in tags or current in tags:
        return
    raise ApiError(
        409,
        {
            "content": {},
            "messages": [
                message(
                    f"If-Match: {wanted} is stale; the record is now at {current}. Read it again and retry.",
                    properties=["If-Match"],
                )
            ],
            "version": ctx.version_block(),
        },
    )
