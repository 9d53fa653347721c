"""`list` and `themes` for people and for scripts: a table, ids or JSON on stdout, the count on
stderr, the same records in every format."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DATA, SMALL_DATA, DataSet, run_cli

SMALL_MAYORS_TABLE = """\
id           name                place               themes
marchetti    Delphine Marchetti  Port Halvern, OR    stormwater, clean-harbours, water-equity
okafor-lind  Rowan Okafor-Lind   Saltmarsh Bay, SC   clean-harbours, water-equity
quennell     Hollis Quennell     Bramble Harbor, ME  stormwater
"""

SMALL_THEMES_TABLE = """\
id              label                            mayors
stormwater      Stormwater and flood defence     2
clean-harbours  Clean harbours and beaches       2
water-equity    Affordable water for every home  2
"""


def _run(*args: str):
    return run_cli([*args[:1], "--data", str(SMALL_DATA), *args[1:]])


def test_list_table_is_stdout_and_the_count_is_stderr():
    result = _run("list")
    assert result.exit_code == 0, result.output
    assert result.stdout == SMALL_MAYORS_TABLE
    assert result.stderr == "3 mayors\n"


def test_list_is_a_table_unless_asked_otherwise():
    assert _run("list", "--format", "table").stdout == _run("list").stdout


def test_list_ids_are_one_per_line_and_nothing_else():
    result = _run("list", "--format", "ids")
    assert result.exit_code == 0, result.output
    assert result.stdout == "marchetti\nokafor-lind\nquennell\n"
    assert result.stderr == "3 mayors\n"


def test_list_ids_follow_the_filters():
    result = _run("list", "--format", "ids", "--theme", "stormwater")
    assert result.stdout == "marchetti\nquennell\n"
    assert result.stderr == "2 mayors\n"


def test_list_json_holds_every_field_of_the_table_and_more(small: DataSet):
    result = _run("list", "--format", "json", "--mayor", "quennell")
    assert result.exit_code == 0, result.output
    assert result.stderr == "1 mayor\n"
    assert json.loads(result.stdout) == [
        {
            "id": "quennell",
            "name": "Hollis Quennell",
            "place": "Bramble Harbor, ME",
            "themes": ["stormwater"],
            "title": "First Selectman",
            "city": "Bramble Harbor",
            "state": "ME",
            "sort_as": "Quennell",
            "file": str(SMALL_DATA / "mayors" / "quennell.yaml"),
        }
    ]
    assert result.stdout.startswith('[\n  {\n    "id": "quennell",\n')


def test_list_json_agrees_with_the_table_on_the_seed_data(seed: DataSet):
    table = run_cli(["list", "--data", str(DATA), "--theme", "reentry"])
    as_json = run_cli(["list", "--data", str(DATA), "--theme", "reentry", "--format", "json"])
    assert table.exit_code == as_json.exit_code == 0
    records = json.loads(as_json.stdout)
    assert [r["id"] for r in records] == seed.with_theme("reentry")
    rows = [re.split(r"\s{2,}", line) for line in table.stdout.splitlines()[1:]]
    assert rows == [[r["id"], r["name"], r["place"], ", ".join(r["themes"])] for r in records]
    for record in records:
        mayor = seed.mayors[record["id"]]
        assert record["themes"] == mayor["themes"]
        assert (record["city"], record["state"]) == (mayor["city"], mayor["state"])


def test_json_keeps_text_as_written():
    result = _run("themes", "--format", "json")
    assert "Affordable water for every home" in result.stdout
    assert "\\u" not in result.stdout  # not ASCII-escaped: readable, and jq reads it the same


def test_themes_table():
    result = _run("themes")
    assert result.exit_code == 0, result.output
    assert result.stdout == SMALL_THEMES_TABLE
    assert result.stderr == "3 themes\n"


def test_themes_ids():
    result = _run("themes", "--format", "ids")
    assert result.exit_code == 0, result.output
    assert result.stdout == "stormwater\nclean-harbours\nwater-equity\n"
    assert result.stderr == "3 themes\n"


def test_themes_json(small: DataSet):
    result = _run("themes", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": theme_id,
            "label": theme["label"],
            "mayors": len([m for m in small.mayors.values() if theme_id in m["themes"]]),
            "description": theme["description"],
        }
        for theme_id, theme in small.themes.items()
    ]
    assert result.stderr == "3 themes\n"


@pytest.mark.parametrize("command", ["list", "themes"])
def test_an_unknown_format_is_a_usage_error(command: str):
    result = _run(command, "--format", "csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format': 'csv' is not one of 'table', 'ids', 'json'."
    )


def test_a_filter_that_matches_nobody_prints_no_data_in_any_format():
    for fmt in ("table", "ids", "json"):
        result = _run("list", "--format", fmt, "--state", "ME", "--theme", "water-equity")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("Error: no mayor matches --theme water-equity --state ME")
