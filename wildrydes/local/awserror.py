"""The error the embedded Cognito answers with, in AWS's JSON error format."""

from __future__ import annotations

INCORRECT = "Incorrect username or password."


class CognitoError(Exception):
    """An error answered the way Cognito answers it: ``__type`` and ``message``."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
