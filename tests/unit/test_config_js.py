"""config.js rendering and parsing: values are data, never code."""

from __future__ import annotations

import json
import subprocess

import pytest

from wildrydes.website import SiteConfig, parse_config_js, render_config_js

SEED_STYLE = """window._config = {
    cognito: {
        userPoolId: 'us-east-2_uXboG5pAb', // e.g. us-east-2_uXboG5pAb
        userPoolClientId: '25ddkmj4v6hfsfvruhpfi7n4hv', // e.g. 25ddkmj4v6hfsfvruhpfi7n4hv
        region: 'us-east-2' // e.g. us-east-2
    },
    api: {
        invokeUrl: 'https://rc7nyt4tql.execute-api.us-west-2.amazonaws.com/prod',
    }
};
"""


def test_round_trip_of_every_field():
    config = SiteConfig(
        "us-east-1_Ab1",
        "client1",
        "us-east-1",
        "http://127.0.0.1:4590/",
        "https://x.execute-api.us-east-1.amazonaws.com/prod",
        "http://127.0.0.1:4590/_wildrydes/mailbox",
    )
    assert parse_config_js(render_config_js(config)) == config


def test_aws_config_has_no_endpoint_or_local_section():
    text = render_config_js(SiteConfig("eu-west-1_Ab1", "c", "eu-west-1"))
    assert "endpoint" not in text and "mailboxUrl" not in text


@pytest.mark.parametrize(
    "evil",
    [
        "</script><script>alert(1)</script>",
        "'; alert(1); '",
        '"}; alert(1); //',
        "line\u2028separator",
        "back\\slash & <amp>",
    ],
)
def test_hostile_values_stay_strings(evil):
    config = SiteConfig(evil, "c", "us-east-1", invoke_url=evil)
    text = render_config_js(config)
    assert "</script>" not in text and "<" not in text
    assert "\u2028" not in text
    assert parse_config_js(text).user_pool_id == evil


@pytest.mark.parametrize("evil", ["</script><b>x", "'; alert(1); '", '"}; globalThis.pwned=1; //'])
def test_node_evaluates_hostile_values_as_plain_strings(evil):
    text = render_config_js(SiteConfig(evil, "c", "us-east-1"))
    script = (
        "const window = {}; globalThis.pwned = 0;\n" + text + "\nconsole.log("
        "JSON.stringify([window._config.cognito.userPoolId, globalThis.pwned]))"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [evil, 0]


def test_reads_the_workshops_original_format():
    config = parse_config_js(SEED_STYLE)
    assert config.user_pool_id == "us-east-2_uXboG5pAb"
    assert config.client_id == "25ddkmj4v6hfsfvruhpfi7n4hv"
    assert config.region == "us-east-2"
    assert config.invoke_url.endswith("/prod")


def test_unconfigured_file_is_not_configured():
    assert not parse_config_js(render_config_js(SiteConfig())).configured
    assert not parse_config_js("").configured


def test_committed_config_js_is_the_unconfigured_render():
    from wildrydes.website import WEBSITE_DIR

    committed = (WEBSITE_DIR / "js" / "config.js").read_text()
    assert committed == render_config_js(SiteConfig())
