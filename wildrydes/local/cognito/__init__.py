"""The local Cognito user-pool service, split the way moto splits its cognitoidp:

- :mod:`.responses`  request parsing and validation, response shaping
- :mod:`.service`    the service object the HTTP front calls (dispatch, one transaction each)
- :mod:`.pools`, :mod:`.users`, :mod:`.auth`  the operations (the model)
- :mod:`.store`      SQLite: the only code that touches SQL
- :mod:`.signing`, :mod:`.outbox`  pool keys and tokens; the local mailbox
- :mod:`.exceptions` one class per AWS error code
"""

from wildrydes.local.cognito.common import Clock, mask_email
from wildrydes.local.cognito.exceptions import INCORRECT, CognitoError
from wildrydes.local.cognito.service import LocalCognito
from wildrydes.local.cognito.store import StoreError

__all__ = ["INCORRECT", "Clock", "CognitoError", "LocalCognito", "StoreError", "mask_email"]
