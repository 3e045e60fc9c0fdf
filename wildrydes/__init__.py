"""Wild Rydes module 2: user authentication with Amazon Cognito user pools, step by step."""

from wildrydes.errors import (
    AuthError,
    ConfigurationError,
    ResourceError,
    TokenError,
    WildRydesError,
)

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "ConfigurationError",
    "ResourceError",
    "TokenError",
    "WildRydesError",
]
