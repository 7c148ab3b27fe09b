"""Answers other than success: the exception every operation raises, and Loket's message shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORBIDDEN_MESSAGE = (
    'Insufficient rights for this request, reason "User doesn\'t have rechten to perform activity for the given Id."'
)
UNAUTHORIZED_MESSAGE = "Authorization has been denied for this request."


class ApiError(Exception):
    """An answer other than success; ``body`` None means an empty body."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def message(
    description: str, kind: str = "BrokenBusinessRule", code: int = 0, properties: list[str] | None = None
) -> dict[str, Any]:
    return {"code": code, "description": description, "id": None, "type": kind, "properties": properties or []}


def forbidden() -> ApiError:
    return ApiError(403, {"message": FORBIDDEN_MESSAGE})


def not_found() -> ApiError:
    return ApiError(404, None)
