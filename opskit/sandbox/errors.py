"""Error types per API family, each rendered in the shape the real service uses."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status: int = 400

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class PdError(ApiError):
    """PagerDuty REST: ``{"error": {"code", "message", "errors"}}``."""

    def __init__(self, status: int, message: str, code: int, errors: list[str] | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "code": self.code, "errors": self.errors}}


def pd_invalid(*errors: str) -> PdError:
    return PdError(400, "Invalid Input Provided", 2001, list(errors))


def pd_not_found() -> PdError:
    return PdError(404, "Not Found", 2100)


class EventsError(ApiError):
    """Events API v2: ``{"status", "message", "errors"}``."""

    def __init__(self, status: int, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []

    def body(self) -> dict[str, Any]:
        return {"status": "invalid event", "message": self.message, "errors": self.errors}


class JiraError(ApiError):
    """Jira platform: ``{"errorMessages": [...], "errors": {field: message}}``."""

    def __init__(
        self, status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None
    ):
        super().__init__("; ".join(messages or []) or str(errors))
        self.status, self.messages, self.errors = status, messages or [], errors or {}

    def body(self) -> dict[str, Any]:
        return {"errorMessages": self.messages, "errors": self.errors}


class JsmError(ApiError):
    """Jira Service Management: ``{"errorMessage", "i18nErrorMessage"}``."""

    def __init__(self, status: int, message: str, i18n_key: str = "sd.error"):
        super().__init__(message)
        self.status, self.message, self.i18n_key = status, message, i18n_key

    def body(self) -> dict[str, Any]:
        return {
            "errorMessage": self.message,
            "i18nErrorMessage": {"i18nKey": self.i18n_key, "parameters": []},
        }


def family_for_path(path: str) -> str:
    if path.startswith("/_sandbox"):
        return "admin"
    if path.startswith("/browse/"):
        return "web"  # Jira's issue pages, for people (no REST API, no contract)
    if path.startswith("/rest/servicedeskapi"):
        return "jsm"
    if path.startswith("/rest/"):
        return "jira"
    if path.startswith("/v2/"):
        return "events"
    return "pagerduty"


def generic_error(path: str, status: int, message: str) -> ApiError:
    """An error for ``status`` in the family that owns ``path`` (unknown routes, 405, 5xx)."""
    family = family_for_path(path)
    if family == "jsm":
        return _with_status(JsmError(status, message), status)
    if family == "jira":
        return _with_status(JiraError(status, [message]), status)
    if family == "events":
        return _with_status(EventsError(status, message), status)
    codes = {401: 2006, 403: 2010, 404: 2100, 429: 2020}
    return PdError(status, message, codes.get(status, 2001 if status < 500 else 2000))


def _with_status(err: ApiError, status: int) -> ApiError:
    err.status = status
    return err


_BODY_MESSAGES = {
    400: "Invalid Input Provided",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
}


def invalid_body(path: str, status: int, detail: str) -> ApiError:
    """A refused request body (malformed, too large, not JSON) in the family of ``path``.

    Each family says it the way its service does: PagerDuty's "Invalid Input Provided" with
    the reason among its ``errors``, the Events API's "invalid event", Jira's
    ``errorMessages`` and JSM's ``errorMessage``.
    """
    family = family_for_path(path)
    if family == "jsm":
        return JsmError(status, detail)
    if family == "jira":
        return JiraError(status, [detail])
    if family == "events":
        title = "Event object is invalid" if status == 400 else _BODY_MESSAGES.get(status, detail)
        return EventsError(status, title, [detail])
    return PdError(status, _BODY_MESSAGES.get(status, "Invalid Input Provided"), 2001, [detail])
