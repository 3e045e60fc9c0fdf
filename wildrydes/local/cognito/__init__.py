"""The kit's own Cognito user-pool service on SQLite, split by concern as moto splits its services.

- request parsing and response shaping: :mod:`.fields` (what each request may carry),
  :mod:`.responses` (parse, shape, and the JSON protocol on the wire), :mod:`.shapes` (AWS's
  types from stored rows)
- the service and its table: :mod:`.service` (:class:`LocalCognito`, one transaction per
  operation), :mod:`.operations` (each operation's function), :mod:`.context` (what an
  operation is handed: the service's parts and the request, with its region)
- the model, one module per concern: :mod:`.pools`, :mod:`.clients`, :mod:`.groups`,
  :mod:`.signup`, :mod:`.sign_in`, :mod:`.tokens`, :mod:`.self_service`, :mod:`.recovery`,
  :mod:`.admin_users`; the settings and rules they share: :mod:`.client_settings`,
  :mod:`.pool_settings`, :mod:`.schema`, :mod:`.usernames`, :mod:`.lookups`, :mod:`.passwords`,
  :mod:`.attributes`, :mod:`.codes`, :mod:`.access`, :mod:`.issuing`, :mod:`.users`,
  :mod:`.filters`, :mod:`.paging`, :mod:`.sessions`, :mod:`.limits`, :mod:`.clock`
- state: :mod:`.database`, :mod:`.directory`, :mod:`.store` (the only SQL), :mod:`.signing`
  (pool keys and tokens), :mod:`.outbox` (the local mailbox)
- :mod:`.exceptions`: one class per AWS error code
"""

from wildrydes.local.cognito.clock import Clock
from wildrydes.local.cognito.codes import mask_email
from wildrydes.local.cognito.exceptions import INCORRECT, CognitoError
from wildrydes.local.cognito.service import LocalCognito
from wildrydes.local.cognito.store import StoreError

__all__ = ["INCORRECT", "Clock", "CognitoError", "LocalCognito", "StoreError", "mask_email"]
