"""The kit's exceptions: one root, one subclass per kind of failure."""


class WildRydesError(Exception):
    """Root of every error the kit raises on purpose."""


class ConfigurationError(WildRydesError):
    """The kit is not set up the way this step needs (backend, region, credentials)."""


class ResourceError(WildRydesError):
    """An AWS resource the step needs is missing, elsewhere, or not ours."""


class AuthError(WildRydesError):
    """Cognito refused a register, confirm or sign-in step; ``code`` is its error code."""

    def __init__(self, message: str, *, code: str = "", said: str = "", hint: str = ""):
        super().__init__(message)
        self.code = code
        self.said = said  # Cognito's own words, when it refused
        self.hint = hint  # the kit's next step, apart from Cognito's words


class TokenError(WildRydesError):
    """A token could not be decoded or fetched."""
