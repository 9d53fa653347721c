"""The README's reference of layout keys is the schema's: every key of layout.schema.json is
listed, with the default layout's value, and the committed table is what the generator
writes."""

from __future__ import annotations

import importlib.util
import json

from conftest import ROOT

README = ROOT / "README.md"


def generator():
    spec = importlib.util.spec_from_file_location("layoutdoc", ROOT / "docs" / "layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_holds_what_the_generator_writes():
    committed = README.read_text("utf-8")
    assert generator().regenerate(committed) == committed, (
        "README.md's layout keys are out of date; run: .venv/bin/python docs/layout.py"
    )


def test_every_key_of_the_schema_is_in_the_readme_with_a_description():
    schema = json.loads((ROOT / "src/briefbook/schemas/layout.schema.json").read_text("utf-8"))
    keys = generator()._keys(schema, "")
    assert len(keys) > 150
    readme = README.read_text("utf-8")
    for key, sub in keys:
        assert f"| `{key}` |" in readme, key
        assert sub.get("description"), f"{key} has no description in the schema"
    assert "| `cover.motif.rings.count` | a whole number from 0 to 60 | `8` |" in readme
