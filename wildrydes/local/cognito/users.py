"""Users: sign-up and confirmation, attributes, passwords, and the Admin* user operations.

Each ``op_<Operation>`` takes the validated request body and returns the response body.
Operations authorized by an access token ask :class:`~.auth.Auth` whose token it is.
"""

from __future__ import annotations

import re
import secrets
import string
import uuid
from typing import Any

from wildrydes.local.cognito import exceptions as e
from wildrydes.local.cognito.auth import Auth
from wildrydes.local.cognito.common import Shared, attribute_dict, utc
from wildrydes.local.cognito.pools import _page

__all__ = [
    "NOT_FOUND_FOR_CLIENT",
    "Users",
]

NOT_FOUND_FOR_CLIENT = "Username/client id combination not found."
# ListUsers' filter: `name = "value"` (exact) or `name ^= "value"` (starts with); the names
# it may search (API Reference, ListUsers, Filter).
_FILTER = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$')
_FILTERABLE = {
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
}


class Users:
    def __init__(self, shared: Shared, auth: Auth) -> None:
        self.s = shared
        self.auth = auth

    # -- sign-up and confirmation --------------------------------------------------------
    def _create(
        self,
        pool: dict[str, Any],
        username: str,
        password: str,
        status: str,
        attributes: dict[str, str],
        *,
        admin: bool = False,
    ) -> dict[str, Any]:
        if self.s.store.user(pool["id"], username) is not None:
            raise e.UsernameExistsException("User already exists")
        for name in self.s.required_names(pool):
            # An administrator may leave required attributes out: the user is asked for
            # them in the NEW_PASSWORD_REQUIRED challenge (API Reference, AdminCreateUser).
            if name not in attributes and not admin:
                raise e.InvalidParameterException(
                    f"Attributes did not conform to the schema: {name}: The attribute is required"
                )
        now = self.s.clock.now()
        sub = str(uuid.uuid4())
        user = {
            "pool_id": pool["id"],
            "username": username,
            "sub": sub,
            "status": status,
            "enabled": True,
            "created": now,
            "modified": now,
            **self.s.verifier(pool["id"], username, password),
        }
        self.s.store.add_user(user, {"sub": sub, **attributes})
        return self.s.store.user(pool["id"], username)

    def op_SignUp(self, body):
        client = self.s.client(body["ClientId"])
        self.s.check_secret_hash(client, body["Username"], body.get("SecretHash"))
        pool = self.s.pool(client["pool_id"])
        attributes = attribute_dict(body.get("UserAttributes"))
        self.s.check_attributes(pool, attributes)
        if self.s.store.user(pool["id"], body["Username"]) is not None:
            raise e.UsernameExistsException("User already exists")
        self.s.check_policy(pool, body["Password"])
        user = self._create(pool, body["Username"], body["Password"], "UNCONFIRMED", attributes)
        result: dict[str, Any] = {"UserConfirmed": False, "UserSub": user["sub"]}
        if attributes.get("email"):
            result["CodeDeliveryDetails"] = self.s.send_code(
                pool, user["username"], attributes["email"], "signup"
            )
        return result

    def op_ConfirmSignUp(self, body):
        client = self.s.client(body["ClientId"])
        self.s.check_secret_hash(client, body["Username"], body.get("SecretHash"))
        user = self.s.public_user(
            client, body["Username"], NOT_FOUND_FOR_CLIENT, hidden=_mismatch()
        )
        if user["status"] == "CONFIRMED":
            raise e.NotAuthorizedException("User cannot be confirmed. Current status is CONFIRMED")
        self.s.use_code(user["pool_id"], user["username"], "signup", body["ConfirmationCode"])
        self._confirm(user)
        return {}

    def _confirm(self, user: dict[str, Any]) -> None:
        pool = self.s.pool(user["pool_id"])
        self.s.store.update_user(
            user["pool_id"], user["username"], status="CONFIRMED", modified=self.s.clock.now()
        )
        # Confirming with the emailed code verifies the email when the pool auto-verifies it.
        if "email" in (pool["config"].get("AutoVerifiedAttributes") or []):
            self.s.store.set_attributes(
                user["pool_id"], user["username"], {"email_verified": "true"}
            )

    def op_ResendConfirmationCode(self, body):
        client = self.s.client(body["ClientId"])
        self.s.check_secret_hash(client, body["Username"], body.get("SecretHash"))
        try:
            user = self.s.public_user(
                client, body["Username"], NOT_FOUND_FOR_CLIENT, hidden=_Simulated()
            )
        except _Simulated:  # PreventUserExistenceErrors: answer as if a code went out
            return {"CodeDeliveryDetails": _SIMULATED_DELIVERY}
        if user["status"] == "CONFIRMED":
            raise e.InvalidParameterException("User is already confirmed.")
        email = self.s.store.attributes(user["pool_id"], user["username"]).get("email")
        if not email:
            raise e.InvalidParameterException(
                "Cannot resend codes. Auto verification not turned on."
            )
        pool = self.s.pool(user["pool_id"])
        self.s.code_requests.allow(pool["id"], user["username"], "signup", self.s.clock.now())
        return {"CodeDeliveryDetails": self.s.send_code(pool, user["username"], email, "signup")}

    # -- the signed-in user (access token) -----------------------------------------------
    def op_GetUser(self, body):
        user = self.auth.access_user(body["AccessToken"])
        return {
            "Username": user["username"],
            "UserAttributes": self.s.attribute_list(user["pool_id"], user["username"]),
        }

    def _update_attributes(
        self, user: dict[str, Any], attributes: dict[str, str], *, admin: bool
    ) -> dict[str, Any]:
        pool = self.s.pool(user["pool_id"])
        self.s.check_attributes(pool, attributes, admin=admin)
        old = self.s.store.attributes(user["pool_id"], user["username"])
        changes = dict(attributes)
        new_email = attributes.get("email")
        email_changed = new_email is not None and new_email != old.get("email")
        if email_changed and attributes.get("email_verified") != "true":
            # A changed email is unverified until its code comes back (developer guide,
            # "Configuring email or phone verification").
            changes["email_verified"] = "false"
        self.s.store.set_attributes(user["pool_id"], user["username"], changes)
        self.s.store.update_user(user["pool_id"], user["username"], modified=self.s.clock.now())
        if email_changed and changes["email_verified"] == "false" and not admin:
            return {
                "CodeDeliveryDetailsList": [
                    self.s.send_code(pool, user["username"], new_email, "verify:email")
                ]
            }
        return {}

    def op_UpdateUserAttributes(self, body):
        user = self.auth.access_user(body["AccessToken"])
        return self._update_attributes(user, attribute_dict(body["UserAttributes"]), admin=False)

    def op_DeleteUserAttributes(self, body):
        user = self.auth.access_user(body["AccessToken"])
        pool = self.s.pool(user["pool_id"])
        names = body["UserAttributeNames"]
        if any(n in self.s.required_names(pool) or n == "sub" for n in names):
            raise e.InvalidParameterException("Cannot delete a required attribute.")
        self.s.store.delete_attributes(user["pool_id"], user["username"], names)
        return {}

    def op_GetUserAttributeVerificationCode(self, body):
        user = self.auth.access_user(body["AccessToken"])
        if body["AttributeName"] != "email":
            raise e.InvalidParameterException(
                "The local backend verifies only the email attribute."
            )
        email = self.s.store.attributes(user["pool_id"], user["username"]).get("email")
        if not email:
            raise e.InvalidParameterException("The user has no email attribute.")
        pool = self.s.pool(user["pool_id"])
        return {
            "CodeDeliveryDetails": self.s.send_code(pool, user["username"], email, "verify:email")
        }

    def op_VerifyUserAttribute(self, body):
        user = self.auth.access_user(body["AccessToken"])
        if body["AttributeName"] != "email":
            raise e.InvalidParameterException(
                "The local backend verifies only the email attribute."
            )
        self.s.use_code(user["pool_id"], user["username"], "verify:email", body["Code"])
        self.s.store.set_attributes(user["pool_id"], user["username"], {"email_verified": "true"})
        return {}

    def op_ChangePassword(self, body):
        user = self.auth.access_user(body["AccessToken"])
        self.auth.check_password(user, body["PreviousPassword"])
        self.s.check_policy(self.s.pool(user["pool_id"]), body["ProposedPassword"])
        self._set_password(user, body["ProposedPassword"], "CONFIRMED")
        return {}

    def _set_password(self, user: dict[str, Any], password: str, status: str) -> None:
        self.s.store.update_user(
            user["pool_id"],
            user["username"],
            status=status,
            modified=self.s.clock.now(),
            failed_attempts=0,
            locked_until=0,
            **self.s.verifier(user["pool_id"], user["username"], password),
        )

    def op_DeleteUser(self, body):
        user = self.auth.access_user(body["AccessToken"])
        self.s.store.delete_user(user["pool_id"], user["username"])
        return {}

    # -- forgotten passwords -------------------------------------------------------------
    def op_ForgotPassword(self, body):
        """The code goes to the user's verified email (API Reference, ForgotPassword)."""
        client = self.s.client(body["ClientId"])
        self.s.check_secret_hash(client, body["Username"], body.get("SecretHash"))
        try:
            user = self.s.public_user(client, body["Username"], hidden=_Simulated())
        except _Simulated:  # PreventUserExistenceErrors: answer as if a code went out
            return {"CodeDeliveryDetails": _SIMULATED_DELIVERY}
        attributes = self.s.store.attributes(user["pool_id"], user["username"])
        if not attributes.get("email") or attributes.get("email_verified") != "true":
            raise e.InvalidParameterException(
                "Cannot reset password for the user as there is no registered/verified "
                "email or phone_number"
            )
        pool = self.s.pool(user["pool_id"])
        self.s.code_requests.allow(pool["id"], user["username"], "forgot", self.s.clock.now())
        return {
            "CodeDeliveryDetails": self.s.send_code(
                pool,
                user["username"],
                attributes["email"],
                "forgot",
                subject="Your password reset code",
                body="Your password reset code is {####}",
            )
        }

    def op_ConfirmForgotPassword(self, body):
        client = self.s.client(body["ClientId"])
        self.s.check_secret_hash(client, body["Username"], body.get("SecretHash"))
        user = self.s.public_user(client, body["Username"], hidden=_mismatch())
        self.s.check_policy(self.s.pool(user["pool_id"]), body["Password"])
        self.s.use_code(user["pool_id"], user["username"], "forgot", body["ConfirmationCode"])
        self._set_password(user, body["Password"], "CONFIRMED")
        return {}

    # -- administrators ------------------------------------------------------------------
    def _admin_user(self, body: dict[str, Any]) -> dict[str, Any]:
        self.s.pool(body["UserPoolId"])
        return self.s.user(body["UserPoolId"], body["Username"])

    def op_AdminCreateUser(self, body):
        """A FORCE_CHANGE_PASSWORD user and an invitation with a temporary password."""
        pool = self.s.pool(body["UserPoolId"])
        attributes = attribute_dict(body.get("UserAttributes"))
        self.s.check_attributes(pool, attributes, admin=True)
        resend = body.get("MessageAction") == "RESEND"
        if resend:
            user = self.s.user(pool["id"], body["Username"])
        elif self.s.store.user(pool["id"], body["Username"]) is not None:
            raise e.UsernameExistsException("User account already exists")
        temporary = body.get("TemporaryPassword") or _temporary_password()
        self.s.check_policy(pool, temporary)
        if resend:
            self.s.store.update_user(
                pool["id"],
                user["username"],
                **self.s.verifier(pool["id"], user["username"], temporary),
            )
        else:
            user = self._create(
                pool, body["Username"], temporary, "FORCE_CHANGE_PASSWORD", attributes, admin=True
            )
        email = self.s.store.attributes(pool["id"], user["username"]).get("email")
        if email and body.get("MessageAction") != "SUPPRESS":
            # The invitation carries the password, so it stays in memory, never in the file.
            self.s.outbox.invite(
                to=email,
                temporary_password=temporary,
                user_pool_id=pool["id"],
                username=user["username"],
                now=utc(self.s.clock.now()),
            )
        return {"User": self.s.user_type(self.s.store.user(pool["id"], user["username"]))}

    def op_AdminGetUser(self, body):
        user = self._admin_user(body)
        shaped = self.s.user_type(user, "UserAttributes")
        return shaped

    def op_AdminConfirmSignUp(self, body):
        user = self._admin_user(body)
        if user["status"] == "CONFIRMED":
            raise e.NotAuthorizedException("User cannot be confirmed. Current status is CONFIRMED")
        self.s.store.update_user(
            user["pool_id"], user["username"], status="CONFIRMED", modified=self.s.clock.now()
        )
        return {}

    def op_AdminSetUserPassword(self, body):
        user = self._admin_user(body)
        self.s.check_policy(self.s.pool(user["pool_id"]), body["Password"])
        status = "CONFIRMED" if body.get("Permanent") else "FORCE_CHANGE_PASSWORD"
        self._set_password(user, body["Password"], status)
        return {}

    def op_AdminResetUserPassword(self, body):
        user = self._admin_user(body)
        attributes = self.s.store.attributes(user["pool_id"], user["username"])
        if not attributes.get("email") or attributes.get("email_verified") != "true":
            raise e.InvalidParameterException(
                "Cannot reset password for the user as there is no registered/verified "
                "email or phone_number"
            )
        self.s.store.update_user(
            user["pool_id"], user["username"], status="RESET_REQUIRED", modified=self.s.clock.now()
        )
        self.s.send_code(
            self.s.pool(user["pool_id"]),
            user["username"],
            attributes["email"],
            "forgot",
            subject="Your password reset code",
            body="Your password reset code is {####}",
        )
        return {}

    def op_AdminEnableUser(self, body):
        user = self._admin_user(body)
        self.s.store.update_user(
            user["pool_id"], user["username"], enabled=1, modified=self.s.clock.now()
        )
        return {}

    def op_AdminDisableUser(self, body):
        user = self._admin_user(body)
        self.s.store.update_user(
            user["pool_id"], user["username"], enabled=0, modified=self.s.clock.now()
        )
        return {}

    def op_AdminDeleteUser(self, body):
        user = self._admin_user(body)
        self.s.store.delete_user(user["pool_id"], user["username"])
        return {}

    def op_AdminUpdateUserAttributes(self, body):
        user = self._admin_user(body)
        self._update_attributes(user, attribute_dict(body["UserAttributes"]), admin=True)
        return {}

    def op_ListUsers(self, body):
        pool_id = body["UserPoolId"]
        self.s.pool(pool_id)
        users = self.s.store.users(pool_id)
        if body.get("Filter"):
            users = [
                u
                for u in users
                if _filter(body["Filter"])(u, self.s.store.attributes(pool_id, u["username"]))
            ]
        page, token = _page(users, body, "Limit")
        wanted = body.get("AttributesToGet")
        shaped = []
        for user in page:
            item = self.s.user_type(user)
            if wanted is not None:
                item["Attributes"] = [a for a in item["Attributes"] if a["Name"] in wanted]
            shaped.append(item)
        result: dict[str, Any] = {"Users": shaped}
        if token:
            result["PaginationToken"] = token
        return result


class _Simulated(e.CognitoError):
    """Internal: an unknown user that PreventUserExistenceErrors hides behind a simulated
    code delivery (never answered as an error)."""

    def __init__(self) -> None:
        super().__init__("simulated delivery")


_SIMULATED_DELIVERY = {
    "Destination": "u***@e***",
    "DeliveryMedium": "EMAIL",
    "AttributeName": "email",
}


def _mismatch() -> e.CognitoError:
    return e.CodeMismatchException("Invalid verification code provided, please try again.")


def _filter(expression: str):
    match = _FILTER.match(expression)
    if not match or match.group(1) not in _FILTERABLE:
        raise e.InvalidParameterException("Error while parsing filter.")
    name, operator, value = match.group(1), match.group(2), re.sub(r"\\(.)", r"\1", match.group(3))

    def keep(user: dict[str, Any], attributes: dict[str, str]) -> bool:
        actual = {
            "username": user["username"],
            "cognito:user_status": user["status"],
            "status": "Enabled" if user["enabled"] else "Disabled",
        }.get(name, attributes.get(name))
        if actual is None:
            return False
        return actual == value if operator == "=" else actual.startswith(value)

    return keep


def _temporary_password() -> str:
    """A temporary password that meets any policy the workshop can set."""
    chars = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice("^$*.!@#%&"),
    ]
    chars += [secrets.choice(string.ascii_letters + string.digits) for _ in range(12)]
    return "".join(chars)
