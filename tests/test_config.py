"""Where requests go: the environment table, the slug check, the precedence rule."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from conftest import FAKE_TOKEN
from norce_checkout_order import AsyncOrderClient, ConfigurationError, OrderClient

CREDENTIALS: dict[str, Any] = {
    "api_key": FAKE_TOKEN,
    "merchant": "norce",
    "channel": "1",
}


@pytest.mark.parametrize(
    ("environment", "slug", "expected"),
    [
        ("playground", "customer-slug", "https://customer-slug.api-se.playground.norce.tech/checkout/order"),
        ("stage", "customer-slug", "https://customer-slug.api-se.stage.norce.tech/checkout/order"),
        ("production", "customer-slug", "https://customer-slug.api-se.norce.tech/checkout/order"),
        ("production", "Acme-2", "https://acme-2.api-se.norce.tech/checkout/order"),
        ("stage", "a" * 63, f"https://{'a' * 63}.api-se.stage.norce.tech/checkout/order"),
    ],
)  # fmt: skip
def test_environment_and_slug_make_the_base_url(
    environment: str, slug: str, expected: str
) -> None:
    client = OrderClient(environment=environment, slug=slug, **CREDENTIALS)

    assert client.base_url == expected


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "evil.com",
        "evil.com#",
        "a/b",
        "user@evil.com",
        "a:8080",
        "a b",
        "-lead",
        "trail-",
        "a" * 64,
        "tenant\n",
        "ténant",
        "a?x=1",
    ],
)
def test_a_slug_that_is_not_one_dns_label_is_refused(slug: str) -> None:
    with pytest.raises(ConfigurationError, match="`slug`") as caught:
        OrderClient(environment="production", slug=slug, **CREDENTIALS)

    assert repr(slug) in str(caught.value)


def test_an_unknown_environment_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="'playground', 'stage', 'production'"):
        OrderClient(environment="prod", slug="acme", **CREDENTIALS)


def test_environment_variables_fill_what_is_not_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NORCE_CHECKOUT_ENVIRONMENT", "stage")
    monkeypatch.setenv("NORCE_CHECKOUT_SLUG", "acme")
    monkeypatch.setenv("NORCE_CHECKOUT_API_KEY", FAKE_TOKEN)
    monkeypatch.setenv("NORCE_CHECKOUT_MERCHANT", "env-merchant")
    monkeypatch.setenv("NORCE_CHECKOUT_CHANNEL", "7")
    monkeypatch.setenv("NORCE_CHECKOUT_ADAPTER_ID", "qliro_checkout_adapter")

    client = OrderClient(merchant="arg-merchant")

    assert client.base_url == "https://acme.api-se.stage.norce.tech/checkout/order"
    assert repr(client) == (
        "OrderClient(base_url='https://acme.api-se.stage.norce.tech/checkout/order', "
        "merchant='arg-merchant', channel='7', adapter_id='qliro_checkout_adapter')"
    )


@pytest.mark.parametrize(
    ("arguments", "environ", "expected"),
    [
        # Arguments beat the environment, whichever form each takes.
        ({"environment": "stage", "slug": "a"}, {"BASE_URL": "https://proxy.example"}, "https://a.api-se.stage.norce.tech/checkout/order"),
        ({"base_url": "https://proxy.example/x/"}, {"ENVIRONMENT": "stage", "SLUG": "b"}, "https://proxy.example/x"),
        ({}, {"BASE_URL": "https://proxy.example"}, "https://proxy.example"),
        ({}, {"ENVIRONMENT": "playground", "SLUG": "b"}, "https://b.api-se.playground.norce.tech/checkout/order"),
        # An argument slug completes an environment variable's environment.
        ({"slug": "c"}, {"ENVIRONMENT": "production"}, "https://c.api-se.norce.tech/checkout/order"),
        ({"base_url": "http://127.0.0.1:8000/checkout/order"}, {}, "http://127.0.0.1:8000/checkout/order"),
        ({"base_url": "http://localhost:8000"}, {}, "http://localhost:8000"),
        ({"base_url": "http://[::1]:8000"}, {}, "http://[::1]:8000"),
    ],
)  # fmt: skip
def test_precedence_matrix(
    monkeypatch: pytest.MonkeyPatch,
    arguments: dict[str, Any],
    environ: dict[str, str],
    expected: str,
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(f"NORCE_CHECKOUT_{name}", value)

    assert OrderClient(**arguments, **CREDENTIALS).base_url == expected


@pytest.mark.parametrize(
    "named", [{"ENVIRONMENT": "stage", "SLUG": "b"}, {"SLUG": "b"}]
)
def test_base_url_and_environment_variables_together_are_refused(
    monkeypatch: pytest.MonkeyPatch, named: dict[str, str]
) -> None:
    monkeypatch.setenv("NORCE_CHECKOUT_BASE_URL", "http://127.0.0.1:8000")
    for name, value in named.items():
        monkeypatch.setenv(f"NORCE_CHECKOUT_{name}", value)

    with pytest.raises(ConfigurationError, match="unset the one you do not mean"):
        OrderClient(**CREDENTIALS)


def test_base_url_with_environment_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="either `base_url` or `environment`"):
        OrderClient(
            base_url="https://proxy.example", environment="stage", **CREDENTIALS
        )


@pytest.mark.parametrize(
    "base_url",
    [
        "http://proxy.example/checkout/order",
        "http://10.0.0.1:8000",
        "ftp://proxy.example",
        "proxy.example",
        "https://user:pw@proxy.example",
        "https://proxy.example/?a=1",
    ],
)
def test_unsafe_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="`base_url`") as caught:
        OrderClient(base_url=base_url, **CREDENTIALS)

    assert "pw" not in str(caught.value)


def test_nothing_to_talk_to_names_every_way_to_configure() -> None:
    with pytest.raises(ConfigurationError) as caught:
        OrderClient(**CREDENTIALS)

    message = str(caught.value)
    for hint in ("`environment`", "`base_url`", "NORCE_CHECKOUT_ENVIRONMENT"):
        assert hint in message


@pytest.mark.parametrize("missing", ["api_key", "merchant", "channel"])
def test_a_missing_setting_names_argument_and_variable(missing: str) -> None:
    settings = {**CREDENTIALS, missing: None}

    with pytest.raises(ConfigurationError) as caught:
        OrderClient(environment="stage", slug="acme", **settings)

    assert f"`{missing}=...`" in str(caught.value)
    assert f"NORCE_CHECKOUT_{missing.upper()}" in str(caught.value)


def test_slug_without_environment_names_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurationError, match="`environment` is required"):
        OrderClient(slug="acme", **CREDENTIALS)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("merchant", "nörce"), ("channel", "1\r\nx-evil: 1"), ("adapter_id", "a\nb")],
)
def test_header_values_that_cannot_be_sent_are_refused(
    setting: str, value: str
) -> None:
    settings: dict[str, Any] = {**CREDENTIALS, setting: value}

    with pytest.raises(ConfigurationError, match=f"`{setting}` must be printable"):
        OrderClient(environment="stage", slug="acme", **settings)


def test_a_bad_api_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigurationError, match="`api_key`") as caught:
        OrderClient(
            environment="stage", slug="acme", api_key=FAKE_TOKEN + "\nx", merchant="m",
            channel="1",
        )  # fmt: skip

    assert FAKE_TOKEN not in str(caught.value)


@pytest.mark.parametrize("slug", ["\u212a", "\u0131", "\u0130", "\u017f", "xn--ab"])
def test_lookalike_letters_and_punycode_slugs_are_refused(slug: str) -> None:
    with pytest.raises(ConfigurationError, match="`slug`"):
        OrderClient(environment="stage", slug=slug, **CREDENTIALS)


@pytest.mark.parametrize(
    "base_url",
    [
        "https://proxy.example/checkout/order#",
        "https://proxy.example/checkout/order?",
        "http://127.0.0.1:99999/x",
        "http://127.0.0.1:-1/x",
        "http://xn--a/",
        "http://tenant.localhost:8000",
    ],
)
def test_base_urls_that_would_misroute_are_refused(base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="`base_url`"):
        OrderClient(base_url=base_url, **CREDENTIALS)


@pytest.mark.parametrize(
    ("setting", "value", "hint"),
    [
        ("channel", 1, "must be a string"),
        ("merchant", b"norce", "must be a string"),
        ("environment", 1, "must be a string"),
        ("slug", 123, "must be a string"),
        ("adapter_id", "", "is empty"),
        ("merchant", " norce ", "without surrounding spaces"),
        ("timeout", -1, "`timeout`"),
        ("timeout", 0, "`timeout`"),
        ("timeout", "5", "`timeout`"),
        ("timeout", float("nan"), "`timeout`"),
        ("timeout", None, "`timeout`"),
        ("http_client", object(), "`http_client` must be an httpx.Client"),
        ("http_client", httpx.AsyncClient(), "`http_client` must be an httpx.Client"),
    ],
)
def test_settings_of_the_wrong_kind_are_configuration_errors(
    setting: str, value: object, hint: str
) -> None:
    settings: dict[str, Any] = {"environment": "stage", "slug": "acme", **CREDENTIALS}
    settings[setting] = value

    with pytest.raises(ConfigurationError, match=re.escape(hint)):
        OrderClient(**settings)


def test_an_async_client_refuses_a_sync_http_client() -> None:
    with pytest.raises(ConfigurationError, match=r"httpx\.AsyncClient"):
        AsyncOrderClient(
            environment="stage",
            slug="acme",
            http_client=httpx.Client(),  # type: ignore[arg-type]
            **CREDENTIALS,
        )


def test_an_api_key_of_the_wrong_kind_is_not_shown() -> None:
    with pytest.raises(
        ConfigurationError, match="`api_key` must be a string"
    ) as caught:
        OrderClient(
            environment="stage", slug="acme", **{**CREDENTIALS, "api_key": 12345}
        )

    assert "12345" not in str(caught.value)
