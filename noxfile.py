"""Every task of the project is a session: ``nox -l`` lists them.

``nox`` alone runs the default sessions, listed in ``nox.options.sessions``;
the README's test command is exactly that.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    "tests",
    "lint",
    "typecheck",
    "codegen_check",
    "spec_change",
    "consume",
    "share",
]

# Pinned so that every machine runs the same checks.
TEST_REQUIREMENTS = [
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "coverage==7.17.3",
    "openapi-spec-validator==0.8.5",
]
RUFF = "ruff==0.17.5"
BUILD = "build==1.6.1"
NOX = "nox==2026.10.20"  # the noxfile is type-checked too
MYPY = "mypy==2.4.1"
TYPES_PYYAML = "types-PyYAML==6.0.12.20261113"
HAND_WRITTEN = [
    "overlays", "tests", "examples", "generator", "benchmarks", "noxfile.py",
]  # fmt: skip
# What a copy of the project leaves behind: tool state and build output.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".nox", "node_modules", "__pycache__", "dist", "build", "*.egg-info"
)


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
    session.run("mypy", "tests", "examples", "benchmarks", "noxfile.py")


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


@nox.session
def spec_change(session: nox.Session) -> None:
    """Change the spec in a copy, regenerate, and run the unchanged tests there."""
    session.install("-r", "generator/requirements.txt", "pyyaml", *TEST_REQUIREMENTS)
    copy = Path(session.create_tmp()) / "changed-project"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(Path.cwd(), copy, ignore=NOT_COPIED)

    session.chdir(copy)
    session.run("python", "tests/spec_change/apply_changes.py", "openapi.yaml")
    session.run("python", "generator/codegen.py")
    session.install(".[server]")
    # test_spec.py pins the spec's exact content, which this session changes.
    session.run("pytest", "-p", "no:cacheprovider", "--ignore=tests/test_spec.py")
    session.run(
        "pytest", "-p", "no:cacheprovider", "tests/spec_change/check_changes.py"
    )


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and the wheel into dist/."""
    session.install(BUILD)
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", "dist")


@nox.session
def consume(session: nox.Session) -> None:
    """Install the built wheel in a fresh venv outside the repo and use it."""
    session.install(BUILD)
    root = Path.cwd()
    outside = Path(tempfile.mkdtemp(prefix="norce-consumer-"))
    # The wheel is built from the sdist, so this also proves the sdist whole.
    session.run("python", "-m", "build", "--outdir", str(outside / "dist"))
    wheel = next((outside / "dist").glob("*.whl"))

    venv = outside / "venv"
    session.run("python", "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", f"{wheel}[server]", MYPY]
    session.run(*install, external=True)
    for script in ("consume.py", "typed_usage.py"):
        shutil.copy(root / "tests" / "consumer" / script, outside)

    session.chdir(outside)
    seeds, spec = root / "examples", root / "openapi.yaml"
    session.run(python, "consume.py", str(seeds), str(spec), external=True)
    session.run(python, "-m", "mypy", "--strict", "typed_usage.py", external=True)
    shutil.rmtree(outside)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Measure the speed goals against their baselines (not a test: no asserts)."""
    session.install(".[server]", NOX)
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session(venv_backend="none")
def share(session: nox.Session) -> None:
    """Lint the spec, generate TypeScript types from it, type-check their use."""
    session.chdir("share")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("npm", "run", "--silent", "lint", external=True)
    session.run("npm", "run", "--silent", "types", external=True)
    session.run("npm", "run", "--silent", "check", external=True)
