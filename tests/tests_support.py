"""Small helpers shared by the test folders (importable because tests/ is on sys.path)."""

from __future__ import annotations

from wildrydes.local.process import free_port

__all__ = ["advance_clock", "free_port"]


def advance_clock(endpoint_url: str, seconds: float) -> float:
    """Move the running embedded backend's clock ``seconds`` on, as the instructor's expiry
    demo does (the kit route, signed with the home's key); returns the clock's offset."""
    from wildrydes.local.move_clock import advance_clock as move

    return move(endpoint_url, seconds)


def verified_by_pyjwt(token: str, pool_id: str, audience: str | None = None) -> dict:
    """The token's claims, checked by PyJWT alone (not the kit's code) against the running
    embedded backend's JWKS: RS256, Cognito's issuer, and the audience when one is given."""
    import jwt

    from wildrydes.backend import connect

    url = f"{connect().endpoint_url}/{pool_id}/.well-known/jwks.json"
    key = jwt.PyJWKClient(url, cache_keys=False).get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        issuer=f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}",
        audience=audience,
        options={"verify_aud": audience is not None},
    )
