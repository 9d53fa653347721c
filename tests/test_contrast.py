"""Contrast and type size, computed from the layout files themselves, so that every layout in
layouts/ (a new one too) is checked: each text colour on what it is printed on reaches WCAG's
4.5:1 (3:1 for large text) in colour and in grey, and no text is under 8 pt."""

from __future__ import annotations

import pytest

from briefbook.contrast import grey, needed, ratio, text_pairs
from briefbook.layoutfolder import load_layout
from conftest import ROOT, build_args, run_cli

LAYOUTS = sorted(p.name for p in (ROOT / "layouts").iterdir() if (p / "layout.yaml").is_file())


def test_the_ratio_is_wcags():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's own example
    assert grey("#ff0000") == "#4c4c4c"  # Rec. 601: 0.299 of full red


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_text_colour_reads_on_its_background_in_colour_and_in_grey(name: str):
    layout = load_layout(name)
    pairs = list(text_pairs(layout))
    assert len(pairs) > 30
    weak = []
    for key, text, background, size, bold in pairs:
        fg, bg = layout.color(text), layout.color(background)
        least = needed(size, bold)
        for what, a, b in (("colour", fg, bg), ("grey", grey(fg), grey(bg))):
            if ratio(a, b) < least:
                weak.append((".".join(map(str, key)), what, round(ratio(a, b), 2), least))
    assert weak == []


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_text_is_under_8_points(name: str):
    small = [(k, s) for k, _, _, s, _ in text_pairs(load_layout(name)) if s < 8]
    assert small == []


def test_a_layout_with_faint_or_tiny_text_is_warned_about(tmp_path):
    folder = tmp_path / "faint"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "palette:\n  accent_text: '#e9a060'\nstyles:\n"
        "  mayor.place: {font: sans, size: 7, leading: 9, color: muted}\n",
        "utf-8",
    )
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--layout", str(folder), "--mayor", "bowser", output=pdf))
    assert result.exit_code == 0, result.output
    layout_file = folder / "layout.yaml"
    assert (
        f"{layout_file}:4: warning: styles.mayor.place.size: text set at 7 pt; expected at "
        "least 8 pt, the smallest size that reads on paper"
    ) in result.stderr.splitlines()
    assert (
        f"{layout_file}:2: warning: palette.accent_text: accent_text on paper has a contrast of "
        "2.2:1 (in colour or in grey); expected at least 4.5:1 for 9 pt text, so that it reads "
        "on paper and in black and white"
    ) in result.stderr.splitlines()
    strict = run_cli(build_args("--layout", str(folder), "--strict", output=tmp_path / "s.pdf"))
    assert strict.exit_code == 1 and not (tmp_path / "s.pdf").exists()
