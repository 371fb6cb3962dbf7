"""Client settings: where requests go and who they are sent as.

The precedence rule, for every setting: a keyword argument wins over its
``NORCE_CHECKOUT_<NAME>`` environment variable. The target is ``environment``
plus ``slug`` or ``base_url``, from the arguments if either is passed, else
from the environment variables; naming both kinds at the same level (two
arguments, or two variables) is an error rather than a silent choice.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ._exceptions import ConfigurationError

ENV_PREFIX = "NORCE_CHECKOUT_"

# The vendor's base URL per environment; `{slug}` is the tenant's name.
ENVIRONMENTS: Mapping[str, str] = {
    "playground": "https://{slug}.api-se.playground.norce.tech/checkout/order",
    "stage": "https://{slug}.api-se.stage.norce.tech/checkout/order",
    "production": "https://{slug}.api-se.norce.tech/checkout/order",
}

# One DNS label (RFC 1123): letters, digits and inner hyphens, 63 at most.
# Anything else could move the token to another host: `evil.com#`, `a@b`.
_DNS_LABEL = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE | re.ASCII
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings; the repr leaves the API key out."""

    base_url: str
    api_key: str = field(repr=False)
    merchant: str
    channel: str
    adapter_id: str | None


def _pick(name: str, value: object, environ: Mapping[str, str]) -> str | None:
    """The argument if given, else its environment variable, else None."""
    if value is None:
        return environ.get(ENV_PREFIX + name.upper()) or None
    shown = "the value given" if name == "api_key" else repr(value)
    if not isinstance(value, str):
        message = f"`{name}` must be a string; got {shown}. Pass text: '1', not 1."
        raise ConfigurationError(message)
    if not value.strip():
        env = ENV_PREFIX + name.upper()
        message = (
            f"`{name}` is empty ({shown}): pass a value, or leave it out and set {env}."
        )
        raise ConfigurationError(message)
    return value


def _require(name: str, value: object, environ: Mapping[str, str]) -> str:
    picked = _pick(name, value, environ)
    if picked is None:
        env = ENV_PREFIX + name.upper()
        message = f"`{name}` is required: pass `{name}=...` or set {env}."
        raise ConfigurationError(message)
    return picked


def check_slug(slug: object) -> str:
    """Return ``slug`` lower-cased if it is one DNS label, else raise."""
    # ASCII only: IGNORECASE alone lets the Kelvin sign match `k`. A hyphen
    # pair at 3-4 marks a reserved label (`xn--` is IDNA), never a tenant.
    if (
        not isinstance(slug, str)
        or not slug.isascii()
        or not _DNS_LABEL.fullmatch(slug)
        or slug[2:4] == "--"
    ):
        message = (
            f"`slug` must be the tenant's name, one DNS label of letters, digits "
            f"and inner hyphens (like 'customer-slug'); got {slug!r}."
        )
        raise ConfigurationError(message)
    return slug.lower()


def environment_url(environment: str, slug: str) -> str:
    """The base URL of a named environment for a tenant."""
    template = ENVIRONMENTS.get(environment)
    if template is None:
        names = ", ".join(repr(name) for name in ENVIRONMENTS)
        message = f"`environment` must be one of {names}; got {environment!r}."
        raise ConfigurationError(message)
    return template.format(slug=check_slug(slug))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` or a loopback IP."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """Return ``base_url`` without a trailing slash if it is safe to send to."""
    try:
        url = httpx.URL(base_url)
        host, port = url.host, url.port
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        message = f"`base_url` is not a URL: {base_url!r}."
        raise ConfigurationError(message) from exc
    if port is not None and not 0 < port < 65536:
        message = f"`base_url` has a port out of range: {base_url!r}."
        raise ConfigurationError(message)

    if url.scheme not in {"http", "https"} or not host:
        message = f"`base_url` must be an http(s) URL with a host; got {base_url!r}."
        raise ConfigurationError(message)
    if url.scheme == "http" and not is_loopback(host):
        # The token travels in a header: plain HTTP only where it cannot leave
        # the machine.
        message = (
            f"`base_url` must use https unless its host is loopback; got {base_url!r}."
        )
        raise ConfigurationError(message)
    # Even an empty `?` or `#` would swallow the operation's path.
    if url.userinfo or "?" in base_url or "#" in base_url:
        message = (
            f"`base_url` may not hold credentials, a query or a fragment; "
            f"got {url.copy_with(username=None, password=None)!s}."
        )
        raise ConfigurationError(message)
    return str(url).rstrip("/")


def resolve(
    *,
    environment: str | None,
    slug: str | None,
    base_url: str | None,
    api_key: str | None,
    merchant: str | None,
    channel: str | None,
    adapter_id: str | None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Apply the precedence rule and check every value."""
    env = os.environ if environ is None else environ

    if base_url is not None and (environment is not None or slug is not None):
        message = (
            "Pass either `base_url` or `environment` and `slug`, not both: "
            "`base_url` is for proxies and local servers."
        )
        raise ConfigurationError(message)

    env_url = _pick("base_url", None, env)
    env_named = _pick("environment", None, env) or _pick("slug", None, env)
    if environment is not None or slug is not None:
        target = environment_url(
            _require("environment", environment, env), _require("slug", slug, env)
        )
    elif base_url is not None:
        target = check_base_url(base_url)
    elif env_url is not None and env_named is not None:
        # A forgotten local URL must not quietly win over a named environment.
        message = (
            f"Both {ENV_PREFIX}BASE_URL and {ENV_PREFIX}ENVIRONMENT or "
            f"{ENV_PREFIX}SLUG are set; unset the one you do not mean, or pass "
            "`base_url` or `environment` and `slug` as arguments."
        )
        raise ConfigurationError(message)
    elif env_url is not None:
        target = check_base_url(env_url)
    elif env_named is not None:
        target = environment_url(
            _require("environment", None, env), _require("slug", None, env)
        )
    else:
        message = (
            "No API to talk to: pass `environment` ('playground', 'stage' or "
            "'production') and `slug`, or `base_url`; or set "
            f"{ENV_PREFIX}ENVIRONMENT and {ENV_PREFIX}SLUG, or {ENV_PREFIX}BASE_URL."
        )
        raise ConfigurationError(message)

    return Settings(
        base_url=target,
        api_key=_require("api_key", api_key, env),
        merchant=_require("merchant", merchant, env),
        channel=_require("channel", channel, env),
        adapter_id=_pick("adapter_id", adapter_id, env),
    )
