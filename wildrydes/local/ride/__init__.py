"""The ride API of Wild Rydes module 3, served by the embedded backend beside the site.

- :mod:`.fleet`: the unicorns a rider may get
- :mod:`.authorizer`: API Gateway's ``COGNITO_USER_POOLS`` authorizer, each rule citing the API
  Gateway developer guide (or, where AWS documents no words, what API Gateway is seen to answer)
- :mod:`.handler`: module 3's ``RequestUnicorn``, handed the event API Gateway builds, with the
  claims in ``requestContext.authorizer.claims``
- :mod:`.api`: ``POST <invoke URL>/ride`` on the backend's front, tying the two together
"""

from wildrydes.local.ride.api import API_PREFIX, STAGE, RideApi
from wildrydes.local.ride.authorizer import Authorizer, Verdict

__all__ = ["API_PREFIX", "STAGE", "Authorizer", "RideApi", "Verdict"]
