"""The compiled schema check (briefbook.schemacheck) must judge every value exactly as
jsonschema does: a file it passes is never looked at again, so one it wrongly passed would be
built with a problem nobody was told of, and one it wrongly failed only costs time. Real
files of each kind, changed at random in one place, are judged by both."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from briefbook.load import load_file
from briefbook.schemacheck import NotCompiled, compiled
from briefbook.validate import SCHEMAS, fast_check, schema
from conftest import ROOT


def _files(name: str) -> list[Path]:
    data = ROOT / "data"
    return {
        "book": [data / "book.yaml"],
        "themes": [data / "themes.yaml"],
        "mayor": sorted((data / "mayors").glob("*.yaml"))[:6],
        "meeting": sorted((data / "meetings").glob("*.yaml")),
        "layout": sorted((ROOT / "layouts").glob("*/layout.yaml")),
    }[name]


def _read(path: Path) -> Any:
    """The file as briefbook reads it; a meeting's day as text, as briefbook.meeting hands
    it to the schema."""
    problems: list = []
    doc = load_file(path, problems)
    assert doc is not None and not problems, problems
    value = doc.value
    if isinstance(value.get("date"), dt.date):
        value = {**value, "date": value["date"].isoformat()}
    return value


EXAMPLES = {name: [_read(f) for f in _files(name)] for name in SCHEMAS}

# Values of every kind, near the limits the schemas set: booleans beside 0 and 1, integers
# written as floats, empty and long text, text that looks like an id, a colour, a date.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, -1, 2, 0.0, 1.0, 2.5, -0.5, 3, 12, 100, 1e9, 72.0, 400]),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            " ",
            "a",
            "reentry",
            "Reentry",
            "x" * 300,
            "#1f4e79",
            "#12345",
            "2026-01-01",
            "sans",
            "bold",
            "letter",
            "a4",
            "https://example.org",
            "DC",
            "dc",
            "A-b",
        ]
    ),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["name", "label", "size", "x", "themes"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)


def _places(value: Any, key: tuple = ()) -> list[tuple]:
    """Every key path into `value`, the root's () first."""
    found = [key]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _places(v, (*key, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _places(v, (*key, i))
    return found


def _changed(value: Any, key: tuple, how: str, new: Any) -> Any:
    """`value` with the thing at `key` replaced by `new`, removed, doubled (a list item), or
    given a key of the name `new` names (an object)."""
    if not key:
        return new if how == "replace" else value
    value = copy.deepcopy(value)
    parent = value
    for part in key[:-1]:
        parent = parent[part]
    last = key[-1]
    if how == "replace":
        parent[last] = new
    elif how == "remove":
        del parent[last]
    elif how == "double" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][str(new)[:12] or "extra"] = new
    return value


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_shipped_schema_is_compiled(name):
    # Else its files would all go the slow way, and the fast path would be untested.
    assert fast_check(name) is not None


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_real_files_are_valid_both_ways(name):
    check, slow = fast_check(name), Draft202012Validator(schema(name))
    assert EXAMPLES[name]
    for example in EXAMPLES[name]:
        assert slow.is_valid(example)
        assert check(example)


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_changed_file_is_judged_as_jsonschema_judges_it(name, data):
    original = data.draw(st.sampled_from(EXAMPLES[name]))
    key = data.draw(st.sampled_from(_places(original)))
    how = data.draw(st.sampled_from(["replace", "replace", "remove", "double", "add"]))
    new = data.draw(values)
    changed = _changed(original, key, how, new)
    slow = Draft202012Validator(schema(name)).is_valid(changed)
    assert fast_check(name)(changed) is slow, (key, how, new)


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, True),
        (1.0, True),  # an integer written as a float is an integer
        (True, False),  # a boolean is no integer
        (1.5, False),
        ("1", False),
    ],
)
def test_integers_as_jsonschema_reads_them(value, expected):
    assert compiled({"type": "integer"})(value) is expected


def test_true_is_not_one_in_an_enum_nor_in_unique_items():
    assert compiled({"enum": [1, 2]})(True) is False
    assert compiled({"uniqueItems": True})([1, True]) is True
    assert compiled({"uniqueItems": True})([1, 1.0]) is False


def test_a_keyword_it_does_not_judge_is_refused():
    with pytest.raises(NotCompiled, match="'oneOf'"):
        compiled({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})
