"""One exception class per AWS error code the local Cognito answers with.

Each carries the ``code`` (AWS's ``__type``), the ``message`` in Cognito's words and the HTTP
``status``. Messages never contain a password.
"""

from __future__ import annotations

__all__ = [
    "INCORRECT",
    "CognitoError",
]

INCORRECT = "Incorrect username or password."


class CognitoError(Exception):
    """The root: an error answered the way Cognito answers it (``__type`` and ``message``)."""

    code = "InternalErrorException"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


def _error(code: str, status: int = 400) -> type[CognitoError]:
    return type(
        code, (CognitoError,), {"code": code, "status": status, "__doc__": f"Cognito's {code}."}
    )


InvalidParameterException = _error("InvalidParameterException")
InvalidPasswordException = _error("InvalidPasswordException")
NotAuthorizedException = _error("NotAuthorizedException")
ResourceNotFoundException = _error("ResourceNotFoundException")
UserNotFoundException = _error("UserNotFoundException")
UsernameExistsException = _error("UsernameExistsException")
UserNotConfirmedException = _error("UserNotConfirmedException")
CodeMismatchException = _error("CodeMismatchException")
ExpiredCodeException = _error("ExpiredCodeException")
LimitExceededException = _error("LimitExceededException")
TooManyFailedAttemptsException = _error("TooManyFailedAttemptsException")
AliasExistsException = _error("AliasExistsException")
GroupExistsException = _error("GroupExistsException")
PasswordResetRequiredException = _error("PasswordResetRequiredException")
UnauthorizedException = _error("UnauthorizedException")
UnsupportedTokenTypeException = _error("UnsupportedTokenTypeException")
UnsupportedOperationException = _error("UnsupportedOperationException")
InvalidUserPoolConfigurationException = _error("InvalidUserPoolConfigurationException")
InternalErrorException = _error("InternalErrorException", 500)
