"""The setup contract: pyproject.toml's pins agree with the lock files `make` installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;,]+)$")
TEST_TOOLS = ("pytest", "ruff", "selenium")


def normalize(name: str) -> str:
    """PEP 503: `Jinja2`, `jinja2` and `jinja_2` are the same package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """name -> version of a requirements file, following its `-r` includes."""
    versions: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            versions.update(locked(path.parent / line[3:].strip()))
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: not pinned with ==: {raw!r}"
        versions[normalize(match[1])] = match[2]
    return versions


def project() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


@pytest.mark.parametrize(
    ("group", "lock"),
    [("dependencies", "requirements.txt"), ("dev", "requirements-dev.txt")],
)
def test_pyproject_pins_match_lock_files(group: str, lock: str) -> None:
    data = project()
    specs = data[group] if group == "dependencies" else data["optional-dependencies"][group]
    assert specs, f"pyproject.toml declares no {group}"
    versions = locked(ROOT / lock)
    for spec in specs:
        # An extra (`pagefind[bin]`) names more packages; the lock file pins each of them.
        match = PIN.match(re.sub(r"\[[^\]]*\]", "", spec.replace(" ", "")))
        assert match, f"pyproject.toml {group}: {spec!r} is not pinned with =="
        name, version = normalize(match[1]), match[2]
        assert name in versions, f"{spec} is in pyproject.toml but not in {lock}"
        assert versions[name] == version, f"{spec} but {lock} pins {name}=={versions[name]}"


def test_site_requirements_hold_no_test_tool() -> None:
    site = locked(ROOT / "requirements.txt")
    assert not [tool for tool in TEST_TOOLS if tool in site], (
        "requirements.txt is what `make site` installs: test tools go to requirements-dev.txt"
    )
    dev = locked(ROOT / "requirements-dev.txt")
    assert all(tool in dev for tool in TEST_TOOLS)
