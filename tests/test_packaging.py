"""newsrelay installs like a Python tool: every import is a declared dependency, and the built
wheel works in a fresh virtualenv made with the pip that ships with Python (no upgrade)."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src/newsrelay"


def imported_modules() -> set[str]:
    """Top-level names of every module newsrelay imports, lazily imported ones included."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"newsrelay", "__future__"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {_normal(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_import_is_a_declared_dependency() -> None:
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module in sorted(imported_modules()):
        distributions = {_normal(d) for d in providers.get(module, [module])}
        if not distributions & declared():
            undeclared[module] = sorted(distributions)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_what_trafilatura_needs_of_lxml_is_declared() -> None:
    # lxml.html.clean left lxml (5.2); pip before 24 does not install lxml's "html-clean" extra
    # when a dependency names it "html_clean", so newsrelay names the package itself
    assert "lxml-html-clean" in declared()


@pytest.mark.one_database
def test_the_wheel_installs_and_runs_the_demo_in_a_fresh_venv(tmp_path: Path) -> None:
    """Slow (about a minute): builds the wheel, installs it with the stock pip, runs the demo
    (with nothing set: the store the demo makes beside its settings)."""
    bare = {k: v for k, v in os.environ.items() if k != "NEWSRELAY_DATABASE_URL"}
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, timeout=600)  # fmt: skip
    [wheel] = dist.glob("newsrelay-*.whl")
    venv = tmp_path / "venv"
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([venv / "bin/pip", "install", "-q", str(wheel)], capture_output=True,
                         text=True, timeout=900)  # fmt: skip
    assert pip.returncode == 0, pip.stderr[-3000:]
    version = subprocess.run([venv / "bin/newsrelay", "--version"], capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("newsrelay ")
    demo = subprocess.run([venv / "bin/newsrelay", "demo", "--no-serve", "--output",
                           str(tmp_path / "site")], capture_output=True, text=True,
                          cwd=tmp_path, env=bare, timeout=600)  # fmt: skip
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert len(list((tmp_path / "site/es/story").glob("*.html"))) == 5
