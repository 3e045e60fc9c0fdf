"""A user pool's attribute schema as Cognito describes and checks it. Through boto3,
in-process. Sources: API Reference, SchemaAttributeType and CreateUserPool (Schema); developer
guide, "Working with user attributes"."""

from __future__ import annotations

import uuid

import pytest
from cognito_helpers import cognito, fails


def _schema(**settings) -> dict[str, dict]:
    pool_id = cognito().create_user_pool(PoolName=f"schema-{uuid.uuid4().hex[:6]}", **settings)[
        "UserPool"
    ]["Id"]
    described = cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    return {item["Name"]: item for item in described}


def test_standard_attributes_have_their_real_types_and_constraints(service):
    schema = _schema()
    assert schema["email_verified"]["AttributeDataType"] == "Boolean"
    assert schema["phone_number_verified"]["AttributeDataType"] == "Boolean"
    assert schema["updated_at"]["AttributeDataType"] == "Number"
    assert schema["sub"]["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "2048"}
    assert schema["sub"]["Mutable"] is False and schema["sub"]["Required"] is True
    assert schema["birthdate"]["StringAttributeConstraints"]["MaxLength"] == "10"
    assert all(item["DeveloperOnlyAttribute"] is False for item in schema.values())
    assert "StringAttributeConstraints" not in schema["email_verified"]


def test_custom_attributes_get_cognitos_defaults_and_only_their_types_constraints(service):
    schema = _schema(
        Schema=[
            {"Name": "team", "AttributeDataType": "String"},
            {"Name": "rides", "AttributeDataType": "Number", "Mutable": False},
            {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ]
    )
    assert schema["custom:team"]["Mutable"] is True and schema["custom:team"]["Required"] is False
    assert "NumberAttributeConstraints" not in schema["custom:team"]
    assert schema["custom:rides"]["Mutable"] is False
    assert "StringAttributeConstraints" not in schema["custom:rides"]
    assert "dev:custom:secret" in schema and "custom:secret" not in schema


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"Name": "x", "AttributeDataType": "Text"}, "Member must satisfy enum value set"),
        ({"Name": "x"}, "needs an AttributeDataType"),
        (
            {"Name": "x", "AttributeDataType": "String", "Required": True},
            "Required custom attributes are not supported currently.",
        ),
        ({"Name": "email", "AttributeDataType": "Number"}, "a standard attribute of type"),
        (
            {
                "Name": "x",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MaxLength": "4096"},
            },
            "at most 2048",
        ),
        (
            {
                "Name": "x",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "9", "MaxLength": "3"},
            },
            "MinLength is greater than MaxLength",
        ),
    ],
)
def test_schemas_cognito_refuses_are_refused(service, item, message):
    with pytest.raises(Exception) as refused:
        _schema(Schema=[item])
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidParameterException" and message in error["Message"]


def test_a_custom_attribute_that_is_not_mutable_is_set_once(service):
    """SchemaAttributeType, Mutable: set when the user is made, never changed after."""
    pool_id = cognito().create_user_pool(
        PoolName=f"once-{uuid.uuid4().hex[:6]}",
        Schema=[{"Name": "rides", "AttributeDataType": "Number", "Mutable": False}],
    )["UserPool"]["Id"]
    cognito().admin_create_user(
        UserPoolId=pool_id,
        Username="rider",
        UserAttributes=[{"Name": "custom:rides", "Value": "1"}],
        MessageAction="SUPPRESS",
    )
    with fails("InvalidParameterException", "Cannot modify the non-mutable attribute custom:rides"):
        cognito().admin_update_user_attributes(
            UserPoolId=pool_id,
            Username="rider",
            UserAttributes=[{"Name": "custom:rides", "Value": "2"}],
        )


def test_add_custom_attributes_adds_checked_attributes_once(service):
    """API Reference, AddCustomAttributes: the new attribute is described and writable; a name
    the pool has is refused, and so is what CreateUserPool's Schema would refuse."""
    pool_id = cognito().create_user_pool(PoolName=f"add-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    cognito().add_custom_attributes(
        UserPoolId=pool_id, CustomAttributes=[{"Name": "team", "AttributeDataType": "String"}]
    )
    names = {
        a["Name"]
        for a in cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    }
    assert "custom:team" in names
    cognito().admin_create_user(
        UserPoolId=pool_id,
        Username="rider",
        UserAttributes=[{"Name": "custom:team", "Value": "blue"}],
        MessageAction="SUPPRESS",
    )
    with fails("InvalidParameterException", "Existing attribute already has name custom:team."):
        cognito().add_custom_attributes(
            UserPoolId=pool_id, CustomAttributes=[{"Name": "team", "AttributeDataType": "String"}]
        )
    with fails(
        "InvalidParameterException", "Required custom attributes are not supported currently."
    ):
        cognito().add_custom_attributes(
            UserPoolId=pool_id,
            CustomAttributes=[{"Name": "x", "AttributeDataType": "String", "Required": True}],
        )
