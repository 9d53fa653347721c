"""docs/data.md, the data contract: its tables are the schemas' and the code's own, every key
is described, and no file of the project points to a contract outside the repository."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from briefbook.validate import schema
from conftest import ROOT, problem_lines, run, write_folder

DOC = ROOT / "docs" / "data.md"


def generator():
    spec = importlib.util.spec_from_file_location("datadoc", ROOT / "docs" / "data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_contract_is_what_the_generator_writes() -> None:
    committed = DOC.read_text("utf-8")
    assert generator().regenerate(committed) == committed, (
        "docs/data.md is out of date; run: .venv/bin/python docs/data.py"
    )


def test_the_check_notices_a_stale_table() -> None:
    committed = DOC.read_text("utf-8")
    stale = committed.replace("| `summary` | rich text |", "| `summary` | text |")
    assert stale != committed
    assert generator().regenerate(stale) == committed


def tables() -> dict[str, str]:
    """Name -> text of every generated table in the committed docs/data.md."""
    return {m.group(2): m.group(3) for m in generator().BLOCK.finditer(DOC.read_text("utf-8"))}


def test_every_table_is_filled() -> None:
    found = tables()
    assert set(found) == {"book", "themes", "mayor", "meeting", "limits"}
    for name, table in found.items():
        assert table.count("\n|") >= 3, name


def _properties(value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    if isinstance(value, dict):
        for name, sub in value.get("properties", {}).items():
            out.append((f"{where}.{name}", sub))
        for key, sub in value.items():
            if isinstance(sub, dict | list):
                out += _properties(sub, f"{where}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _properties(item, f"{where}[{i}]")
    return out


@pytest.mark.parametrize("kind", ["book", "themes", "mayor"])
def test_every_key_of_the_data_schemas_is_described(kind: str) -> None:
    found = _properties(schema(kind), kind)
    assert len(found) >= 2
    missing = [where for where, sub in found if not sub.get("description", "").strip()]
    assert missing == []


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        ("book", ["title", "statement.body", "cover.credit", "contact.website"]),
        ("themes", ["<id>", "<id>.label", "<id>.description"]),
        ("mayor", ["name", "themes", "initiatives[].description", "sources[].url", "photo"]),
    ],
)
def test_the_tables_name_the_keys_a_user_writes(kind: str, keys: list[str]) -> None:
    table = tables()[kind]
    for key in keys:
        assert f"| `{key}` |" in table, key


def _project_text_files() -> list[Path]:
    skip = {".git", ".venv", "out", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache"}
    out = []
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & skip or any(p.endswith(".egg-info") for p in parts) or not path.is_file():
            continue
        try:
            out.append((path, path.read_text("utf-8")))
        except UnicodeDecodeError:
            continue  # fonts, pictures
    return out


def test_no_file_of_the_project_points_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|\bDATA\.md\b|/work/")
    files = _project_text_files()
    assert any(path.name == "README.md" for path, _ in files)
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path, text in files
        if path != Path(__file__)
        for n, line in enumerate(text.splitlines(), start=1)
        if outside.search(line)
    ]
    assert offenders == []


def test_messages_that_point_to_the_contract_name_a_file_that_exists(tmp_path: Path) -> None:
    data = write_folder(tmp_path / "data")
    (data / "book.yaml").unlink()
    [line] = problem_lines(run("validate", "--data", str(data)))
    [pointer] = re.findall(r"see (\S+)\)", line)
    assert (ROOT / pointer).is_file(), pointer
