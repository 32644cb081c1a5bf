"""The two locks: the runtime lock holds no test tool, agrees with the development lock, and each runtime
dependency is justified in the README; the Docker image installs the runtime lock only."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "playwright",
    "moto",
    "locust",
    "schemathesis",
    "mypy",
    "ruff",
}


def pins(lock: str) -> dict[str, str]:
    lines = (ROOT / lock).read_text().splitlines()
    return dict(line.split("==", 1) for line in lines if re.match(r"^[A-Za-z0-9]", line))


def requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=~ ]", requirement, maxsplit=1)[0].lower()


def test_the_runtime_lock_holds_no_test_or_lint_tool():
    assert DEV_TOOLS & set(pins("requirements.lock")) == set()
    assert set(pins("requirements-dev.lock")) >= DEV_TOOLS


def test_the_development_lock_pins_every_runtime_package_at_the_same_version():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")

    assert {name: development.get(name) for name in runtime} == runtime


def test_the_docker_image_installs_only_the_runtime_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "-r requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile and "--extra" not in dockerfile


def test_every_runtime_dependency_is_justified_in_the_readme():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    readme = (ROOT / "README.md").read_text().lower()
    runtime_table = readme.split("runtime (`[project] dependencies`)")[1].split("development only")[0]
    justified = {
        cell.strip().split(" ")[0]
        for row in runtime_table.splitlines()
        if row.startswith("| ")
        for cell in row.split("|")[1].split("+")
    }

    missing = {requirement_name(r) for r in project["dependencies"]} - {
        requirement_name(j) for j in justified
    }
    assert missing == set()


def test_the_readme_counts_the_packages_of_each_lock():
    readme = (ROOT / "README.md").read_text()
    runtime, development = len(pins("requirements.lock")), len(pins("requirements-dev.lock"))

    assert f"-o requirements.lock`; {runtime} packages)" in readme
    assert f"-o requirements-dev.lock`; {development} packages)" in readme
    assert f"installs the runtime lock only: {runtime} packages" in readme
