"""Turn the benchmark harness (bench/) into smoke tests: it runs, repeats itself and builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from briefbook.build import Options, build
from conftest import ROOT, synth

BENCH = ROOT / "bench"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_run_writes_a_json_row_for_each_size(tmp_path):
    out = tmp_path / "bench.json"
    cmd = [
        sys.executable,
        str(BENCH / "run.py"),
        "--sizes",
        "16",
        "--runs",
        "1",
        "--json",
        str(out),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text("utf-8"))
    builds = [row for row in result["rows"] if row["kind"] == "build"]
    assert [row["mayors"] for row in builds] == [16]
    median = builds[0]["median"]
    assert median["pages"] > 16
    assert median["pdf_bytes"] > 0
    assert {row["kind"] for row in result["rows"]} >= {"help", "list", "build"}
    assert "build 16" in done.stdout


def test_synth_is_deterministic(tmp_path):
    module = synth()
    first, second = tmp_path / "one", tmp_path / "deeper" / "two"
    module.write_folder(20, first)
    module.write_folder(20, second)
    files = _files(first)
    assert len([name for name in files if name.startswith("mayors/")]) == 20
    assert files == _files(second)


def test_synth_rewrites_instead_of_adding(tmp_path):
    module = synth()
    module.write_folder(20, tmp_path)
    module.write_folder(5, tmp_path)
    assert len(list((tmp_path / "mayors").glob("*.yaml"))) == 5


def test_synth_folder_builds(tmp_path):
    data = synth().write_folder(20, tmp_path / "data")
    result = build(Options(data=data, output=tmp_path / "x.pdf"))
    assert result.mayors == 20
    assert result.pages > 20
    assert result.size > 0
