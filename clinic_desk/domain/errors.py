"""Errors that the services raise and the UI and CLI turn into plain messages."""

from __future__ import annotations


class ClinicDeskError(Exception):
    """Base class: its message is meant for a person, in plain words."""


class ValidationError(ClinicDeskError):
    """Input that cannot be accepted; `field` names the form field concerned."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(ClinicDeskError):
    """The signed-in account's role does not allow this action."""


class AuthenticationFailed(ClinicDeskError):
    """Wrong user name or password (deliberately not saying which)."""


class AccountLocked(ClinicDeskError):
    """Too many failed sign-ins; the account is locked until `until`."""

    def __init__(self, message: str, *, until_utc: object) -> None:
        super().__init__(message)
        self.until_utc = until_utc


class AccountInactive(ClinicDeskError):
    """The account was deactivated by an administrator."""


class NotFound(ClinicDeskError):
    """The record asked for does not exist."""


class ConcurrentEditError(ClinicDeskError):
    """The record was changed on another workstation since it was loaded."""


class DatabaseProblem(ClinicDeskError):
    """The database cannot be opened or used (locked, corrupt, unreachable, too new...)."""


class PasswordChangeRequired(ClinicDeskError):
    """The account has a temporary password: nothing else until the person chooses theirs."""


class SessionLocked(ClinicDeskError):
    """The workstation was locked (left idle) or signed out: unlock or sign in first."""
