"""The shape of generator/ (ARCHITECTURE.md, "Where code lives").

import-linter (``make lint``) keeps the imports one way; these tests keep the rest:
few modules at the top, packages by role that say what they own and may import,
short modules, and a ``papercat`` script that is the CLI.
"""

from __future__ import annotations

import ast
import tomllib

from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
PACKAGES = ("catalogue", "analysis", "render", "exports", "site", "sources", "cli")
MAX_LINES = 400


def test_few_modules_stand_at_the_top():
    top = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "build.py"]


def test_each_package_says_what_it_owns_and_may_import():
    for name in PACKAGES:
        init = GENERATOR / name / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) >= 3, f"{name}/__init__.py has no docstring"
        if name != "cli":
            assert "Imports:" in doc or "import" in doc.lower(), name


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in GENERATOR.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


def test_the_layers_contract_names_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    named = {
        part.strip().removeprefix("generator.") for layer in layers for part in layer.split("|")
    }
    assert named == {*PACKAGES, "build"}
    assert layers[-1] == "generator.catalogue" and layers[0] == "generator.cli"


def test_papercat_script_is_the_cli():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["scripts"] == {"papercat": "generator.cli:main"}
