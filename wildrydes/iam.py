"""The least-privilege IAM policy of the aws path (docs/iam-policy.json), and what a refusal lacks.

Facts from the Service Authorization Reference ("Actions, resources, and condition keys for
Amazon Cognito User Pools" and "... for Amazon S3"): ``cognito-idp:ListUserPools`` and
``cognito-idp:CreateUserPool`` have no resource type, so they take ``"Resource": "*"``; every
other Cognito action the kit uses acts on a ``userpool`` (``arn:aws:cognito-idp:<region>:
<account>:userpool/<pool id>``). S3's HeadBucket and ListObjectsV2 are authorised as
``s3:ListBucket`` on the bucket, PutPublicAccessBlock as ``s3:PutBucketPublicAccessBlock``;
bucket-level actions take the bucket's ARN, object actions ``<bucket ARN>/*``.

``wildrydes api up`` on aws (module 3's ride API) manages API Gateway, whose IAM actions are
the HTTP verbs of its management API (``apigateway:POST`` to create, ``GET``, ``PUT``,
``DELETE``) on the path of what they touch: ``arn:aws:apigateway:<region>::/restapis`` to
create a REST API, ``.../restapis/<id>/...`` for everything in it, ``.../tags/*`` for the tags
given at creation (API Gateway Developer Guide,
"How Amazon API Gateway works with IAM"; Service Authorization Reference, "Actions, resources,
and condition keys for Amazon API Gateway Management").

When AWS refuses a call with AccessDenied, :func:`denied_hint` names the IAM action the call
needs and the statement of the policy that grants it, so a learner in an organisation's account
can ask their administrator for exactly that.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from pathlib import Path
from typing import Any

__all__ = [
    "ACCOUNT_PLACEHOLDER",
    "BUCKET_PLACEHOLDER",
    "POLICY_FILE",
    "REGION_PLACEHOLDER",
    "action_for",
    "denied_hint",
    "filled_policy",
    "is_denied",
    "load_policy",
    "resource_matches",
    "statement_for",
]

POLICY_FILE = Path(__file__).resolve().parent.parent / "docs" / "iam-policy.json"
BUCKET_PLACEHOLDER = "YOUR-WEBSITE-BUCKET"
REGION_PLACEHOLDER = "REGION"
ACCOUNT_PLACEHOLDER = "ACCOUNT-ID"

# S3 operations whose IAM action is not "s3:" + the operation's name (Service Authorization
# Reference, Amazon S3: HeadBucket and the listings are s3:ListBucket).
_S3_ACTIONS = {
    "HeadBucket": "s3:ListBucket",
    "ListObjects": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "HeadObject": "s3:GetObject",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
}
_S3_OPERATIONS = {
    "CreateBucket",
    "DeleteObject",
    "GetBucketLocation",
    "GetObject",
    "PutBucketPolicy",
    "PutBucketTagging",
    "PutBucketWebsite",
    "PutObject",
}
# The API Gateway operations the kit calls, by the verb of their management-API request
# (botocore's model says the same; tests/unit/test_iam_policy.py holds the two together).
_APIGATEWAY_ACTIONS = {
    "CreateAuthorizer": "apigateway:POST",
    "CreateDeployment": "apigateway:POST",
    "CreateResource": "apigateway:POST",
    "CreateRestApi": "apigateway:POST",
    "DeleteRestApi": "apigateway:DELETE",
    "GetResources": "apigateway:GET",
    "GetRestApi": "apigateway:GET",
    "PutGatewayResponse": "apigateway:PUT",
    "PutIntegration": "apigateway:PUT",
    "PutIntegrationResponse": "apigateway:PUT",
    "PutMethod": "apigateway:PUT",
    "PutMethodResponse": "apigateway:PUT",
}
_DENIED = {"AccessDenied", "AccessDeniedException", "403", "Forbidden"}


def load_policy() -> dict[str, Any]:
    """docs/iam-policy.json as written, placeholders and all."""
    policy: dict[str, Any] = json.loads(POLICY_FILE.read_text())
    return policy


def filled_policy(
    bucket: str | None = None, region: str | None = None, account: str | None = None
) -> dict[str, Any]:
    """The policy with the learner's bucket, region and account where they are known."""
    text = json.dumps(load_policy())
    if bucket:
        text = text.replace(BUCKET_PLACEHOLDER, bucket)
    if region:
        text = text.replace(f":{REGION_PLACEHOLDER}:", f":{region}:")
    if account:
        text = text.replace(f":{ACCOUNT_PLACEHOLDER}:", f":{account}:")
    filled: dict[str, Any] = json.loads(text)
    return filled


def action_for(operation: str) -> str:
    """The IAM action an API operation of the kit needs (S3's, API Gateway's, else Cognito's)."""
    if operation in _APIGATEWAY_ACTIONS:
        return _APIGATEWAY_ACTIONS[operation]
    if operation in _S3_ACTIONS:
        return _S3_ACTIONS[operation]
    if operation in _S3_OPERATIONS:
        return f"s3:{operation}"
    return f"cognito-idp:{operation}"


def statement_for(action: str, policy: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The policy's statement that allows ``action``, or None."""
    for statement in (policy or load_policy())["Statement"]:
        actions = statement["Action"]
        if action in (actions if isinstance(actions, list) else [actions]):
            found: dict[str, Any] = copy.deepcopy(statement)
            return found
    return None


def resource_matches(arn: str, statement: dict[str, Any]) -> bool:
    """Whether ``arn`` is one of the statement's resources (IAM's ``*`` wildcard)."""
    resources = statement["Resource"]
    for pattern in resources if isinstance(resources, list) else [resources]:
        if fnmatch.fnmatchcase(arn, pattern.replace("?", "[?]")):
            return True
    return False


def is_denied(error: Any) -> bool:
    """Whether a botocore ClientError is AWS refusing the caller's permissions."""
    info = getattr(error, "response", {}).get("Error", {})
    code, message = str(info.get("Code", "")), str(info.get("Message", ""))
    # S3 answers a HEAD with a bare 403 (no body to hold a code); AWS's JSON services say
    # AccessDeniedException, S3 AccessDenied; moto answers Cognito's in S3's XML, read as "403".
    return code in _DENIED or "not authorized to perform" in message


def denied_hint(error: Any, *, bucket: str | None = None, region: str | None = None) -> str | None:
    """For an AccessDenied refusal: the missing action and the statement to add, else None."""
    if not is_denied(error):
        return None
    operation = str(getattr(error, "operation_name", "") or "")
    action = action_for(operation)
    policy = filled_policy(bucket, region)
    statement = statement_for(action, policy)
    if statement is None:
        return (
            f"AWS refused {operation} (AccessDenied): your credentials lack {action}, which "
            f"docs/iam-policy.json does not grant; ask your administrator for it."
        )
    return (
        f"AWS refused {operation} (AccessDenied): your credentials lack {action}. Add "
        f"statement {statement['Sid']!r} of docs/iam-policy.json to your IAM policy (or ask "
        f"your administrator to): {json.dumps(statement, separators=(',', ':'))}"
    )
