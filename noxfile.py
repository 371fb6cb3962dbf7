"""Every task of the project is a session: ``nox -l`` lists them.

``nox`` alone runs the default sessions: tests, lint, typecheck and
codegen_check; the README's test command is exactly that.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "lint", "typecheck", "codegen_check"]

# Pinned so that every machine runs the same checks.
TEST_REQUIREMENTS = [
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "coverage==7.17.3",
    "openapi-spec-validator==0.8.5",
]
RUFF = "ruff==0.17.5"
NOX = "nox==2026.10.20"  # the noxfile is type-checked too
MYPY = "mypy==2.4.1"
TYPES_PYYAML = "types-PyYAML==6.0.12.20261113"
HAND_WRITTEN = ["overlays", "tests", "examples", "generator", "noxfile.py"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the package as built from this tree."""
    session.install(".[server]", *TEST_REQUIREMENTS)
    # coverage starts before pytest, and so before the package's own pytest
    # plugin imports it; pytest-cov would start too late and miss those lines.
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "report")


@nox.session
def lint(session: nox.Session) -> None:
    """Lint the hand-written code with ruff and check all formatting."""
    session.install(RUFF)
    session.run("ruff", "check", *HAND_WRITTEN)
    session.run("ruff", "format", "--check", *HAND_WRITTEN)
    session.run(
        "ruff", "format", "--check", "--config", "generator/ruff.toml",
        "generated_client",
    )  # fmt: skip


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the installed package (generated code included), strictly."""
    session.install(".[server]", MYPY, NOX, TYPES_PYYAML, *TEST_REQUIREMENTS)
    session.run("mypy", "-p", "norce_checkout_order")
    session.run("mypy", "tests", "examples", "noxfile.py")


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate generated_client/ from openapi.yaml with the pinned generators."""
    session.install("-r", "generator/requirements.txt")
    session.run("python", "generator/codegen.py")


@nox.session
def codegen_check(session: nox.Session) -> None:
    """Fail if generated_client/ is not what openapi.yaml generates."""
    session.install("-r", "generator/requirements.txt")
    session.run("python", "generator/codegen.py", "--check")


@nox.session
def demo(session: nox.Session) -> None:
    """Send the seed's three requests to a local server (or a configured tenant)."""
    session.install(".[server]")
    session.run("python", "examples/demo.py", *session.posargs)
