"""The project's own files agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[2]


def test_environment_yml_installs_what_pyproject_declares():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = (REPO / "environment.yml").read_text()
    python_floor = re.search(r">=\s*([\d.]+)", project["requires-python"]).group(1)
    assert f"python>={python_floor}" in env
    assert re.search(r"^\s*-\s*nodejs", env, re.M), "the website SDK needs Node.js"
    # The kit itself, with the same extras the Makefile installs.
    assert '-e ".[test]"' in env
    makefile = (REPO / "Makefile").read_text()
    assert 'pip install --quiet -e ".[test]"' in makefile


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|shell)?\n(.*?)```", readme, re.S)
    assert blocks, "README has no command block"
    lines = [line.split("#", 1)[0].strip() for line in blocks[0].splitlines()]
    first_commands = [line for line in lines if line]
    assert first_commands == ["make workshop", "make test"]


def test_make_lint_checks_style_format_types_and_layers():
    lint = (REPO / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for command in ("ruff check", "ruff format --check", "mypy", "lint-imports"):
        assert f"$(BIN)/{command}" in lint, command
    extra = " ".join(
        tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"][
            "test"
        ]
    )
    for tool in ("ruff", "mypy", "import-linter", "pre-commit", "nbstripout"):
        assert tool in extra, f"{tool} is not installed by the test extra (make setup, CI)"


def test_pre_commit_runs_the_checks_of_make_lint_and_strips_notebooks():
    config = (REPO / ".pre-commit-config.yaml").read_text()
    for entry in (
        ".venv/bin/ruff check",
        ".venv/bin/ruff format",
        ".venv/bin/mypy",
        ".venv/bin/lint-imports",
        ".venv/bin/nbstripout --keep-id",
    ):
        assert f"entry: {entry}" in config, entry


def test_mypy_is_strict_on_the_package_and_relaxed_only_where_named():
    mypy = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True and mypy["files"] == ["wildrydes"]
    relaxed = [o["module"] for o in mypy["overrides"] if o.get("ignore_errors")]
    assert relaxed == [], "every module of the package is checked strictly"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


# -- hub-ready files -------------------------------------------------------------------------
def _conda_packages(path: Path) -> dict[str, str]:
    """name -> version spec of the conda (not pip) dependencies of an environment file."""
    packages = {}
    dependencies = path.read_text().split("\ndependencies:\n", 1)[1]
    for line in dependencies.splitlines():
        match = re.match(r"^  - ([A-Za-z0-9_.-]+)\s*([<>=!].*)?$", line)
        if match:
            packages[match.group(1).lower()] = (match.group(2) or "").replace(" ", "")
    return packages


def _pyproject_dependencies() -> dict[str, str]:
    """name -> version spec of pyproject's default dependencies (extras and markers dropped)."""
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(d) for d in project["dependencies"]]
    return {r.name.lower(): ",".join(sorted(str(s) for s in r.specifier)) for r in requirements}


# pip name -> conda-forge name, where they differ
CONDA_NAMES: dict[str, str] = {}


def _test_extra() -> dict[str, str]:
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(d) for d in project["optional-dependencies"]["test"]]
    return {r.name.lower(): ",".join(sorted(str(s) for s in r.specifier)) for r in requirements}


# The packages the design names (design.md: the kit's layout, "tests/ ... papermill ...") that
# come from the test extra: the root environment.yml names them too, so a conda user sees every
# package of the kit's design; Binder's runs the workshop only, so it leaves them out.
DESIGN_TEST_PACKAGES = ("pytest",)


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_environment_files_list_pyprojects_packages_from_conda_forge(path):
    conda = _conda_packages(REPO / path)
    assert "conda-forge" in (REPO / path).read_text()
    declared = _pyproject_dependencies()
    if path == "environment.yml":
        declared |= {name: _test_extra()[name] for name in DESIGN_TEST_PACKAGES}
    for name, spec in declared.items():
        conda_name = CONDA_NAMES.get(name, name)
        assert conda_name in conda, f"{path} lacks {conda_name} (pyproject has {name}{spec})"
        assert ",".join(sorted(conda[conda_name].split(","))) == spec, (
            f"{path}: {conda_name}{conda[conda_name]} but pyproject.toml says {name}{spec}"
        )
    kit = set(declared) | {"python", "nodejs", "pip"}
    extra = {n for n in conda if n not in {CONDA_NAMES.get(k, k) for k in kit}}
    assert not extra, f"{path} installs what pyproject.toml does not declare: {extra}"


def test_environment_yml_names_pytest_and_binder_only_what_the_workshop_runs():
    assert "pytest" in _conda_packages(REPO / "environment.yml")
    assert "pytest" not in _conda_packages(REPO / "binder" / "environment.yml")


def test_make_workshop_installs_only_what_it_runs_and_hands_args_to_jupyterlab():
    makefile = (REPO / "Makefile").read_text()
    rule = makefile.split("\nworkshop:", 1)[1].split("\n\n", 1)[0]
    prerequisites = rule.splitlines()[0].split()
    assert "setup" not in prerequisites and "$(STAMPS)/amplify" not in prerequisites
    kit = makefile.split("\n$(STAMPS)/kit:", 1)[1].split("\n\n", 1)[0]
    assert '-e ".[browser]"' in kit and "[test]" not in kit
    jupyter = next(line for line in rule.splitlines() if "jupyter lab" in line)
    assert jupyter.rstrip().endswith("$(ARGS)")
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert extras["optional-dependencies"]["browser"] == ["playwright>=1.45"]


def test_binder_installs_the_kit_and_the_website_sdk():
    post_build = REPO / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    text = post_build.read_text()
    assert "pip install" in text and " -e ." in text
    assert "cd website && npm ci" in text
    # repo2docker would run a pip `-e .` line from binder/, where there is no pyproject.toml.
    binder_env = (REPO / "binder" / "environment.yml").read_text()
    assert "pip:" not in binder_env.split("\ndependencies:\n", 1)[1]


def test_devcontainer_has_python_node_setup_and_the_ports():
    import json

    config = json.loads((REPO / ".devcontainer" / "devcontainer.json").read_text())
    assert "python" in config["image"]
    assert any("/node" in feature for feature in config["features"])
    assert config["postCreateCommand"] == "make setup"
    assert set(config["forwardPorts"]) >= {8888, 4590}


def test_readme_says_how_to_run_it_on_a_hub():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Run it on a hub", 1)
    assert len(section) == 2, "README needs a 'Run it on a hub' section"
    text = section[1].split("\n## ", 1)[0]
    for words in ("mybinder.org", "codespaces", "jupyterhub", "/wildrydes/", "once per class"):
        assert words in text.lower(), words


# -- the README's layout -----------------------------------------------------------------------
_NAME = re.compile(r"(?<![\w./`-])([A-Za-z_][\w-]*(?:\.py|/))")


def _layout_paths() -> set[str]:
    """Every folder and module the README's layout names, as paths from the repository root.

    A line whose first word is a folder (``tools/``) opens it: names on that line and on the
    more indented lines after it are inside it; other names belong to the enclosing folder.
    """
    readme = (REPO / "README.md").read_text()
    block = re.search(r"## Layout\n+```\n(.*?)```", readme, re.S)
    assert block, "README has no layout block under '## Layout'"
    found: set[str] = set()
    opened: list[tuple[int, str]] = [(-1, "")]  # (indent, folder path)
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        names = _NAME.findall(line)
        while opened[-1][0] >= indent:
            opened.pop()
        first = line.split()[0]
        if first.endswith("/") and names and names[0] == first:
            parent = opened[-1][1]
            folder = parent + first
            found.add(folder)
            opened.append((indent, folder))
            names = names[1:]
            context = folder
        else:
            # a continuation of the folder opened above it, or names in the enclosing folder
            context = opened[-1][1]
        found.update(context + name for name in names)
    return found


def test_the_readme_layout_names_exactly_the_packages_modules():
    named = {p for p in _layout_paths() if p.startswith("wildrydes/")}
    package = REPO / "wildrydes"
    actual = {"wildrydes/"}
    for path in package.rglob("*"):
        relative = path.relative_to(REPO).as_posix()
        if "__pycache__" in relative or relative.startswith("wildrydes/local/cognito/"):
            continue  # the Cognito service's own modules: its folder is named
        if path.is_dir():
            actual.add(relative + "/")
        elif path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"):
            actual.add(relative)
    assert named - actual == set(), "the README's layout names what is not there"
    assert actual - named == set(), "the README's layout leaves these out"


def test_the_readme_layout_names_folders_that_exist():
    for path in _layout_paths():
        assert (REPO / path).exists(), f"README's layout names {path}, which does not exist"
