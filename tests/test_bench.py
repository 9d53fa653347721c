"""Turn the benchmark harness (bench/) into smoke tests: it runs, repeats itself and builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageOps

from briefbook.build import Options, build
from conftest import DATA, ROOT, synth

BENCH = ROOT / "bench"


def _photos():
    """bench/photos.py, which adds photos to a copy of the seed book."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("photos", BENCH / "photos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
        "--photos",
        "--photo-size",
        "40x30",  # the photo rows, with photos small enough for a smoke test
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
    photos = [row for row in result["rows"] if row["kind"] == "photos"]
    assert [(row["quality"], row["cache"]) for row in photos] == [
        ("email", "empty"),
        ("email", "warm"),
        ("print", "empty"),
        ("print", "warm"),
    ]
    assert all(row["median"]["pdf_bytes"] > 0 for row in photos)
    assert "photos print, again" in done.stdout


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


def test_photo_folder_is_deterministic_and_builds(tmp_path):
    module = _photos()
    first = module.write_photo_folder(tmp_path / "one", (40, 30))
    module.write_photo_folder(tmp_path / "two", (40, 30))
    files = _files(first)
    assert files == _files(tmp_path / "two")
    mayors = sorted(p.stem for p in (DATA / "mayors").glob("*.yaml"))
    assert sorted(p.stem for p in (first / "images").glob("*.jpg")) == sorted([*mayors, "cover"])
    for mayor in mayors:
        assert f"\nphoto: images/{mayor}.jpg\n" in files[f"mayors/{mayor}.yaml"].decode()
    assert "\ncover:\n  image: images/cover.jpg\n" in files["book.yaml"].decode()
    turned = 0
    for path in (first / "images").glob("*.jpg"):
        with Image.open(path) as image:
            assert image.size == (40, 30)
            if image.getexif().get(0x0112) == 6:
                turned += 1
                assert ImageOps.exif_transpose(image).size == (30, 40)
    assert turned == len(mayors) // 3
    result = build(Options(data=first, output=tmp_path / "x.pdf", quality="print"))
    assert result.mayors == len(mayors)
