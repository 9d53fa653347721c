"""The JSON Schemas: what `briefbook schema` prints, the files shipped in the package, and
their agreement with the model and with every data file."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from briefbook import model
from briefbook.validate import SCHEMAS
from conftest import DATA, ROOT, run

SCHEMA_DIR = ROOT / "src" / "briefbook" / "schemas"
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def shipped(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8"))


def kind_of(path: Path) -> str:
    return "mayor" if path.parent.name == "mayors" else path.stem


def data_files() -> list[Path]:
    return [DATA / "book.yaml", DATA / "themes.yaml", *sorted((DATA / "mayors").glob("*.yaml"))]


def fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


# --- the command -----------------------------------------------------------------------------


def test_schema_prints_all_five_as_json() -> None:
    result = run("schema")
    assert result.exit_code == 0, result.output
    value = json.loads(result.stdout)
    assert set(value) == {"book", "themes", "mayor", "meeting", "layout"} == set(SCHEMAS)
    for kind in SCHEMAS:
        assert value[kind] == shipped(kind)


@pytest.mark.parametrize("kind", ["book", "themes", "mayor", "meeting", "layout"])
def test_schema_kind_equals_the_shipped_file(kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == shipped(kind)


def test_schema_unknown_kind_is_a_usage_error() -> None:
    result = run("schema", "mayors")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["book", "themes", "mayor"])
def test_shipped_schemas_are_valid_draft_2020_12(kind: str) -> None:
    schema = shipped(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_package_ships_exactly_these_schemas() -> None:
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(
        f"{kind}.schema.json" for kind in SCHEMAS
    )


# --- in sync with the model ------------------------------------------------------------------


def test_mayor_schema_matches_the_model() -> None:
    schema = shipped("mayor")
    # Mayor.id is the file's name and Mayor.file where it came from: neither is written.
    assert set(schema["properties"]) == fields(model.Mayor) - {"id", "file"}
    initiative = schema["properties"]["initiatives"]["items"]
    assert set(initiative["properties"]) == fields(model.Initiative)
    source = schema["properties"]["sources"]["items"]
    assert set(source["properties"]) == fields(model.Source)
    assert schema["additionalProperties"] is False
    assert initiative["additionalProperties"] is False
    assert source["additionalProperties"] is False


def test_mayor_schema_required_keys_follow_data_md() -> None:
    schema = shipped("mayor")
    assert set(schema["required"]) == {"name", "city", "state", "themes", "summary"}
    assert schema["properties"]["initiatives"]["items"]["required"] == ["name"]
    # The model's defaults are the optional keys.
    optional = {
        f.name for f in dataclasses.fields(model.Mayor) if f.default is not dataclasses.MISSING
    } | {"title", "sort_as"}
    assert set(schema["properties"]) - set(schema["required"]) == optional - {"file"}


def test_state_enum_equals_the_model() -> None:
    enum = shipped("mayor")["properties"]["state"]["enum"]
    assert len(enum) == len(set(enum))
    assert set(enum) == set(model.US_STATES)


def test_book_schema_matches_the_model() -> None:
    schema = shipped("book")
    props = schema["properties"]
    # Nested keys become flat fields; themes and mayors come from the other files.
    renamed = {
        ("statement", "heading"): "statement_heading",
        ("statement", "body"): "statement_body",
        ("statement", "brief"): "statement_brief",
        ("cover", "image"): "cover_image",
        ("cover", "credit"): "cover_credit",
        ("cover", "image_alt"): "cover_image_alt",
        ("cover", "image_focus"): "cover_image_focus",
    }
    flat = {name for name, spec in props.items() if name not in ("statement", "cover")}
    flat |= {
        renamed[(outer, inner)]
        for outer in ("statement", "cover")
        for inner in props[outer]["properties"]
    }
    assert flat == fields(model.Book) - {"themes", "mayors"}
    assert set(props["contact"]["properties"]) == fields(model.Contact)
    assert set(schema["required"]) == {"title", "statement"}
    assert set(props["statement"]["required"]) == {"heading", "body"}
    for spec in (schema, props["statement"], props["cover"], props["contact"]):
        assert spec["additionalProperties"] is False


def test_themes_schema_matches_the_model() -> None:
    schema = shipped("themes")
    theme = schema["additionalProperties"]
    # Theme.id is the key of the mapping.
    assert set(theme["properties"]) == fields(model.Theme) - {"id"}
    assert theme["required"] == ["label"]
    assert theme["additionalProperties"] is False
    ids = Draft202012Validator(schema["propertyNames"])
    for good in ("reentry", "violence-prevention", "a1"):
        assert ids.is_valid(good), good
    for bad in ("Reentry", "re_entry", "-x", "x-", "a--b", ""):
        assert not ids.is_valid(bad), bad


def test_theme_id_pattern_is_the_same_everywhere() -> None:
    pattern = shipped("themes")["propertyNames"]["pattern"]
    mayor = shipped("mayor")["properties"]
    assert mayor["themes"]["items"]["pattern"] == pattern
    assert mayor["initiatives"]["items"]["properties"]["themes"]["items"]["pattern"] == pattern


# --- the data files --------------------------------------------------------------------------


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_starts_with_its_schema_line(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    match = SCHEMA_LINE.fullmatch(first)
    assert match, f"{path.name} starts with {first!r}"
    target = (path.parent / match.group(1)).resolve()
    assert target == (SCHEMA_DIR / f"{kind_of(path)}.schema.json").resolve()
    assert target.is_file()


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_validates_against_its_schema(path: Path) -> None:
    value = yaml.safe_load(path.read_text("utf-8"))
    errors = list(Draft202012Validator(shipped(kind_of(path))).iter_errors(value))
    assert errors == [], [e.message for e in errors]


def test_schema_catches_what_validate_catches() -> None:
    """A few wrong mayors, checked with jsonschema alone: the editor sees the same mistakes."""
    validator = Draft202012Validator(shipped("mayor"))
    good = yaml.safe_load((DATA / "mayors" / "durkan.yaml").read_text("utf-8"))
    assert validator.is_valid(good)
    for change in (
        {"state": "Washington"},
        {"city": 1234},
        {"themes": []},
        {"sources": [{"title": "x", "url": "ftp://x.org"}]},
        {"citty": "x"},
        {"summary": "  "},
        {"themes": ["Policing"]},
    ):
        assert not validator.is_valid({**good, **change}), change
