"""What a build spends before its first page: which libraries it imports, and what it keeps
in its cache (compiled templates, parsed fonts) so the next build does not do that work.
Whatever is kept, the book is the same, byte for byte, with the cache empty, full, or
damaged."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefbook.fontfiles import font_bytes, registered_name
from briefbook.fonts import _checked_font_class, _entry_name, _kept, _restored
from conftest import DATA, DATE, ROOT, edit, write_folder

# A build in a fresh process, then the libraries it imported (of those the fast paths skip).
_PROBE = """
import json, sys
from briefbook.cli import main
sys.argv = ["briefbook", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "imported": sorted(
    m for m in ("jsonschema", "markdown_it") if m in sys.modules)}))
"""


def _build_in_process(tmp_path: Path, data: Path, cache: Path, out: str = "book.pdf") -> dict:
    args = ["build", "--data", str(data), "--output", str(tmp_path / out), "--date", DATE]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1764000000"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_book_of_plain_words_needs_neither_jsonschema_nor_markdown_it(tmp_path):
    data = write_folder(tmp_path / "data")
    for path in (data / "mayors").glob("*.yaml"):  # plain words only: no markup to read
        text = path.read_text("utf-8")
        path.write_text(text.replace("*", "").replace("[", "(").replace("]", ")"), "utf-8")
    probe = _build_in_process(tmp_path, data, tmp_path / "cache")
    assert probe == {"exit": 0, "imported": []}


def test_markup_and_mistakes_still_get_their_libraries(tmp_path):
    data = write_folder(tmp_path / "data")
    mayor = sorted((data / "mayors").glob("*.yaml"))[0]
    mayor.write_text(mayor.read_text("utf-8") + "brief: Works on **jobs** first.\n", "utf-8")
    probe = _build_in_process(tmp_path, data, tmp_path / "cache")
    assert probe["imported"] == ["markdown_it"]
    mayor.write_text(mayor.read_text("utf-8") + "shoe_size: 9\n", "utf-8")
    args = ["build", "--data", str(data), "--output", str(tmp_path / "no.pdf"), "--date", DATE]
    done = subprocess.run(
        [sys.executable, "-m", "briefbook", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1
    assert f"{mayor}:" in done.stderr and "shoe_size: unknown key" in done.stderr
    assert not (tmp_path / "no.pdf").exists()


def test_the_book_is_the_same_with_the_cache_empty_full_or_damaged(tmp_path):
    cache = tmp_path / "cache"
    _build_in_process(tmp_path, DATA, cache, "empty.pdf")
    kept = {kind: list((cache / "briefbook" / kind).rglob("*")) for kind in ("templates", "fonts")}
    assert all(any(p.is_file() for p in paths) for paths in kept.values()), kept
    _build_in_process(tmp_path, DATA, cache, "full.pdf")
    for paths in kept.values():
        for path in paths:
            if path.is_file():
                path.write_bytes(path.read_bytes()[:-7] + b"damaged")
    _build_in_process(tmp_path, DATA, cache, "damaged.pdf")
    empty = (tmp_path / "empty.pdf").read_bytes()
    assert (tmp_path / "full.pdf").read_bytes() == empty
    assert (tmp_path / "damaged.pdf").read_bytes() == empty


@pytest.mark.parametrize("name", ["NotoSans-Regular.ttf", "NotoSansMath-Regular.ttf"])
def test_a_font_from_the_cache_is_the_font_parsed(name):
    path = ROOT / "fonts" / name
    data = font_bytes(path)
    stream = io.BytesIO(data)
    stream.name = str(path)
    parsed = _checked_font_class()(registered_name(path), stream)
    restored = _restored(registered_name(path), str(path), data, _kept(parsed.face))
    assert _entry_name(data) != _entry_name(data + b"x")
    assert set(restored.__dict__) == set(parsed.__dict__)
    face, again = parsed.face.__dict__, restored.face.__dict__
    assert set(again) == set(face)
    for key in face:
        if key == "_pdfScale":
            assert again[key](1234) == face[key](1234)
        else:
            assert again[key] == face[key], key
    assert restored.stringWidth("Smart on Crime", 11) == parsed.stringWidth("Smart on Crime", 11)
    assert _restored(registered_name(path), str(path), data, b"not marshal") is None


def test_a_template_edit_is_seen_through_the_cache(tmp_path):
    # The compiled templates are kept by their source's digest: an edited one is compiled anew.
    layout = tmp_path / "mine"
    layout.mkdir()
    (layout / "layout.yaml").write_text("extends: default\n", "utf-8")
    source = (ROOT / "layouts" / "default" / "cover.j2").read_text("utf-8")
    (layout / "cover.j2").write_text(source, "utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    texts = []
    for word in ("Before", "After"):
        if word == "After":
            edit(layout, "cover.j2", "{% block title %}", "{% block title %}After ")
        pdf = tmp_path / f"{word}.pdf"
        args = ["build", "--layout", str(layout), "--output", str(pdf), "--date", DATE]
        done = subprocess.run(
            [sys.executable, "-m", "briefbook", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        texts.append(
            subprocess.run(
                ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True
            ).stdout
        )
    assert "After Smart on Crime" not in texts[0]
    assert "After Smart on Crime" in texts[1]
