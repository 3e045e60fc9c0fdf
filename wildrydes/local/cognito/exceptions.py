"""One exception class per AWS error code the local Cognito answers with.

Each carries the ``code`` (AWS's ``__type``), the ``message`` in Cognito's words and the HTTP
``status``. Messages never contain a password. The codes are the ones each operation's
"Errors" section of the Amazon Cognito API Reference lists.
"""

from __future__ import annotations

__all__ = [
    "INCORRECT",
    "AliasExistsException",
    "CodeMismatchException",
    "CognitoError",
    "ExpiredCodeException",
    "GroupExistsException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidUserPoolConfigurationException",
    "LimitExceededException",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyFailedAttemptsException",
    "UnauthorizedException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UsernameExistsException",
]

INCORRECT = "Incorrect username or password."


class CognitoError(Exception):
    """The root: an error answered the way Cognito answers it (``__type`` and ``message``)."""

    code = "InternalErrorException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidParameterException(CognitoError):
    """A parameter is missing, of the wrong type, or has a value Cognito refuses."""

    code = "InvalidParameterException"


class InvalidPasswordException(CognitoError):
    """The password breaks the pool's password policy."""

    code = "InvalidPasswordException"


class NotAuthorizedException(CognitoError):
    """Wrong password, disabled user, revoked or expired token, missing secret hash, ..."""

    code = "NotAuthorizedException"


class ResourceNotFoundException(CognitoError):
    """No such user pool, app client, group or resource ARN."""

    code = "ResourceNotFoundException"


class UserNotFoundException(CognitoError):
    """No such user in the pool."""

    code = "UserNotFoundException"


class UsernameExistsException(CognitoError):
    """The pool already has a user with this username."""

    code = "UsernameExistsException"


class UserNotConfirmedException(CognitoError):
    """The password was right but the user has not confirmed the sign-up."""

    code = "UserNotConfirmedException"


class CodeMismatchException(CognitoError):
    """The code is not the one sent (or none was sent)."""

    code = "CodeMismatchException"


class ExpiredCodeException(CognitoError):
    """The code was right once but its lifetime is over."""

    code = "ExpiredCodeException"


class LimitExceededException(CognitoError):
    """Too many wrong codes (or, in Cognito, too many requests of one kind)."""

    code = "LimitExceededException"


class TooManyFailedAttemptsException(CognitoError):
    """Too many failed attempts at one operation."""

    code = "TooManyFailedAttemptsException"


class AliasExistsException(CognitoError):
    """Another user already has this email or phone number as an alias."""

    code = "AliasExistsException"


class GroupExistsException(CognitoError):
    """The pool already has a group with this name."""

    code = "GroupExistsException"


class PasswordResetRequiredException(CognitoError):
    """An administrator reset the password: the user must set a new one with a code."""

    code = "PasswordResetRequiredException"


class UnauthorizedException(CognitoError):
    """The token was not issued to the app client that presents it (RevokeToken)."""

    code = "UnauthorizedException"


class UnsupportedTokenTypeException(CognitoError):
    """RevokeToken was given a token that is not a refresh token."""

    code = "UnsupportedTokenTypeException"


class UnsupportedOperationException(CognitoError):
    """An operation (or flow) the local backend does not do, refused by name."""

    code = "UnsupportedOperationException"


class InvalidUserPoolConfigurationException(CognitoError):
    """The pool's settings do not allow what was asked."""

    code = "InvalidUserPoolConfigurationException"


class InternalErrorException(CognitoError):
    """A fault of the service itself (a bug of ours), answered in AWS's format."""

    code = "InternalErrorException"
    status = 500
