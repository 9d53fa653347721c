"""A grayscale proof (Options(grayscale=True), `--grayscale`) as a staffer prints it on a
black-and-white printer: every colour the pages draw and every picture is grey, and the
chosen theme still stands out from the others, in every shipped layout and in a layout
that would lose it (a warning at its file and line). Read back from the PDF's own content
streams and images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from briefbook.build import Options, build
from briefbook.layout import is_hex, rgb
from briefbook.layoutfolder import load_layout
from conftest import ROOT, append, build_args, run_cli, write_folder

LAYOUTS = sorted(p.name for p in (ROOT / "layouts").iterdir() if (p / "layout.yaml").is_file())
STEP = 15  # lumas of 255 that the chosen theme's colours are apart from the others', at least


def _pillow_grey(colour: str) -> int:
    """What Pillow (a grey conversion, a black-and-white printer) makes of a colour."""
    return Image.new("RGB", (1, 1), rgb(colour)).convert("L").getpixel((0, 0))


def _chosen_and_others(layout) -> list[tuple[str, str, str]]:
    """(what, chosen colour, unchosen colour) as the layout sets them: a chosen column is
    drawn over the plain and the striped rows, a chosen chip beside the others."""
    glance, chips = layout.settings("glance"), layout.settings("chips")
    c = layout.color
    return [
        ("column on plain rows", c(glance["chosen_column"]), c("paper")),
        ("column on striped rows", c(glance["chosen_column"]), c(glance["stripe"])),
        ("chips", c(chips["chosen_fill"]), c(chips["fill"])),
        ("marks", c(glance["chosen_mark"]), c(glance["mark"])),
    ]


# --- the palette -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_chosen_theme_stands_out_in_grey_in_every_shipped_layout(name: str):
    layout = load_layout(name, None)
    close = [
        (what, chosen, other, _pillow_grey(chosen), _pillow_grey(other))
        for what, chosen, other in _chosen_and_others(layout)
        if abs(_pillow_grey(chosen) - _pillow_grey(other)) < STEP
    ]
    assert close == []
    greyed = layout.greyed()
    for what, chosen, other in _chosen_and_others(greyed):
        assert abs(rgb(chosen)[0] - rgb(other)[0]) >= STEP, what


def _colours(value: Any, key: tuple = ()) -> dict[tuple, str]:
    """Every '#rrggbb' in a layout's settings, by its key."""
    if isinstance(value, dict):
        return {k: c for name, v in value.items() for k, c in _colours(v, (*key, name)).items()}
    if isinstance(value, list):
        return {k: c for i, v in enumerate(value) for k, c in _colours(v, (*key, i)).items()}
    return {key: value} if is_hex(value) else {}


def _without_colours(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_colours(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_colours(v) for v in value]
    return "colour" if is_hex(value) else value


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_greyed_layout_has_each_colour_as_its_grey_and_nothing_else_changed(name: str):
    layout = load_layout(name, None)
    greyed = layout.greyed()
    before, after = _colours(layout.spec), _colours(greyed.spec)
    assert before.keys() == after.keys() and len(before) >= 12
    for key, colour in after.items():
        r, g, b = rgb(colour)
        assert r == g == b, key
        assert abs(r - _pillow_grey(before[key])) <= 1, key
    assert _without_colours(greyed.spec) == _without_colours(layout.spec)
    assert greyed.fonts == layout.fonts and greyed.templates is layout.templates
    assert greyed.page_size == layout.page_size and greyed.docs == layout.docs


def test_colours_written_out_anywhere_in_a_layout_are_greyed(tmp_path: Path):
    folder = tmp_path / "loud"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: default\n"
        "tick: {color: '#ff0000'}\n"
        "styles:\n"
        "  mayor.name: {font: sans, bold: true, size: 26, leading: 31, color: '#003399'}\n"
        "photo:\n  monogram: {fill: '#00AA00', band: {color: '#d9822b'}}\n",
        "utf-8",
    )
    greyed = load_layout(str(folder), None).greyed()
    assert greyed.settings("tick")["color"] == "#4c4c4c"  # 0.299 of full red
    assert greyed.style("mayor.name")["color"] == "#" + f"{_pillow_grey('#003399'):02x}" * 3
    monogram = greyed.settings("photo")["monogram"]
    assert {rgb(monogram["fill"]), rgb(monogram["band"]["color"])} == {
        (v, v, v) for v in (_pillow_grey("#00aa00"), _pillow_grey("#d9822b"))
    }


# --- a layout that loses the chosen theme in grey -----------------------------------------------


def test_a_chosen_tint_too_near_the_stripe_is_warned_about(tmp_path: Path):
    folder = tmp_path / "pale"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: default\npalette:\n  chosen_tint: '#f1ece4'\nchips:\n  chosen_fill: '#e9edf2'\n",
        "utf-8",
    )
    data = write_folder(tmp_path / "data")
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--layout", str(folder), data=data, output=pdf))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    file = folder / "layout.yaml"
    assert (
        f"{file}:3: warning: palette.chosen_tint: the chosen column's chosen_tint (#f1ece4) and "
        "the striped rows' tint (#eef1f6) are 237 and 241 of 255 in grey, 4 apart; expected at "
        "least 15, so that the chosen theme stands out in black and white; make chosen_tint "
        "darker, 226 or less in grey"
    ) in lines
    assert (
        f"{file}:5: warning: chips.chosen_fill: the chosen chips' #e9edf2 and the other chips' "
        "tint (#eef1f6) are 236 and 241 of 255 in grey, 5 apart; expected at least 15, so that "
        "the chosen theme stands out in black and white; make chips.chosen_fill darker, 226 or "
        "less in grey"
    ) in lines
    strict = run_cli(build_args("--layout", str(folder), "--strict", data=data, output=pdf))
    assert strict.exit_code == 1


def test_every_shipped_layout_keeps_the_chosen_theme_apart_without_a_warning():
    from briefbook.contrast import grey_step_problems

    assert {name: list(grey_step_problems(load_layout(name, None))) for name in LAYOUTS} == {
        name: [] for name in LAYOUTS
    }


# --- a grayscale build, read back -----------------------------------------------------------


def _photo(width: int, height: int) -> Image.Image:
    """A colourful picture: a red, a green and a blue field and a yellow shape."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height // 3, width, 2 * height // 3), fill=(30, 180, 60))
    draw.rectangle((0, 2 * height // 3, width, height), fill=(40, 60, 220))
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.8), fill=(240, 220, 40))
    return image


def _data_with_pictures(tmp_path: Path) -> Path:
    data = write_folder(tmp_path / "data")
    (data / "images").mkdir()
    out = io.BytesIO()
    _photo(600, 750).save(out, "JPEG", quality=92)
    (data / "images" / "bowser.jpg").write_bytes(out.getvalue())
    append(data, "mayors/bowser.yaml", "photo: images/bowser.jpg\n")
    _photo(160, 120).quantize(8).save(data / "images" / "cover.png")  # few colours: lossless
    append(data, "book.yaml", "cover:\n  image: images/cover.png\n")
    return data


def _build(data: Path, output: Path, layout: str, grayscale: bool) -> PdfReader:
    # A theme chosen: the table has a chosen column and the chips a chosen chip.
    options = Options(
        data=data, layout=layout, themes=("diversion",), output=output, grayscale=grayscale
    )
    build(options)
    return PdfReader(output)


_COLOUR_OPERATORS = {b"rg", b"RG", b"g", b"G", b"k", b"K", b"sc", b"SC", b"scn", b"SCN"}


def _drawn(reader: PdfReader) -> tuple[list[tuple[str, tuple]], list[DictionaryObject]]:
    """Every colour operator (name, operands) in the pages' content streams and in the forms
    they draw, and every image they draw (image XObjects and inline images' settings)."""
    colours: list[tuple[str, tuple]] = []
    images: list[DictionaryObject] = []
    seen: set[int] = set()

    def walk(content: Any, resources: Any) -> None:
        resources = resources.get_object() if resources is not None else DictionaryObject()
        for operands, operator in ContentStream(content, reader).operations:
            if operator in _COLOUR_OPERATORS:
                colours.append((operator.decode(), tuple(float(v) for v in operands)))
            elif operator in (b"cs", b"CS"):
                colours.append((operator.decode(), (str(operands[0]),)))
            elif operator == b"INLINE IMAGE":
                images.append(operands["settings"])
        for ref in (resources.get("/XObject") or DictionaryObject()).get_object().values():
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            if key in seen:
                continue
            seen.add(key)
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                images.append(xobject)
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject, xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return colours, images


def _grey(operator: str, operands: tuple) -> bool:
    if operator in ("g", "G"):
        return True
    if operator in ("rg", "RG"):
        return operands[0] == operands[1] == operands[2]
    if operator in ("k", "K"):
        return operands[0] == operands[1] == operands[2] == 0
    if operator in ("cs", "CS"):
        return operands[0] == "/DeviceGray"
    return len(operands) == 1  # sc, scn: one component is a grey


def _image_components(image: DictionaryObject) -> int:
    space = image.get("/ColorSpace", image.get("/CS"))
    space = space.get_object() if space is not None else None
    return {"/DeviceGray": 1, "/G": 1, "/DeviceRGB": 3, "/RGB": 3, "/DeviceCMYK": 4}.get(
        str(space), 0
    )


@pytest.mark.parametrize("layout", ["default", "classic"])
def test_a_grayscale_build_draws_only_greys_and_grey_pictures(tmp_path: Path, layout: str):
    data = _data_with_pictures(tmp_path)
    colour_colours, colour_images = _drawn(_build(data, tmp_path / "colour.pdf", layout, False))
    assert [op for op in colour_colours if not _grey(*op)] != []  # the test can fail
    assert {_image_components(i) for i in colour_images} == {3}

    grey_reader = _build(data, tmp_path / "grey.pdf", layout, True)
    colours, images = _drawn(grey_reader)
    assert len(colours) > 20
    assert [op for op in colours if not _grey(*op)] == []
    assert len(images) == len(colour_images) == 2
    assert {_image_components(i) for i in images} == {1}
    # The pictures are the colour book's pictures in grey, as a grey conversion makes them.
    colour_pictures = sorted(
        (img.image for page in PdfReader(tmp_path / "colour.pdf").pages for img in page.images),
        key=lambda i: i.size,
    )
    grey_pictures = sorted(
        (img.image for page in grey_reader.pages for img in page.images), key=lambda i: i.size
    )
    for colour, grey in zip(colour_pictures, grey_pictures, strict=True):
        assert grey.mode == "L" and grey.size == colour.size
        expected = colour.convert("RGB").convert("L")
        difference = ImageStat.Stat(ImageChops.difference(grey, expected)).mean[0]
        assert difference < 4, difference  # JPEG's own error, no more


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "briefbook" / "pictures").rglob("*") if p.is_file())


def test_a_grey_build_after_a_colour_one_makes_grey_pictures_not_the_cached_colour_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    data = _data_with_pictures(tmp_path)
    _build(data, tmp_path / "colour.pdf", "default", False)
    colour_entries = _entries(cache)
    assert len(colour_entries) == 2  # the photo and the cover picture
    grey = _build(data, tmp_path / "grey.pdf", "default", True)
    assert {_image_components(i) for i in _drawn(grey)[1]} == {1}
    assert len(_entries(cache)) == 4 and set(colour_entries) < set(_entries(cache))
    # From the cache, each is the same book byte for byte, and neither takes the other's.
    for name, grayscale in (("grey", True), ("colour", False)):
        again = _build(data, tmp_path / f"{name}-again.pdf", "default", grayscale)
        assert {_image_components(i) for i in _drawn(again)[1]} == {1 if grayscale else 3}
        assert (tmp_path / f"{name}-again.pdf").read_bytes() == (
            tmp_path / f"{name}.pdf"
        ).read_bytes()
    assert len(_entries(cache)) == 4


@pytest.mark.parametrize("written", ['color="#cc0000"', "color='red'", 'COLOR = "#00AA00"'])
def test_colours_a_template_writes_are_greyed_too(tmp_path: Path, written: str):
    folder = tmp_path / "loud"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    (folder / "statement.j2").write_text(
        '{% extends "default/statement.j2" %}'
        f"{{% block heading %}}<font {written}>{{{{ book.statement_heading }}}}</font>"
        "{% endblock %}\n",
        "utf-8",
    )
    data = _data_with_pictures(tmp_path)
    colour, _ = _drawn(_build(data, tmp_path / "colour.pdf", str(folder), False))
    red = {op for op in colour if not _grey(*op)}
    grey, _ = _drawn(_build(data, tmp_path / "grey.pdf", str(folder), True))
    assert red and [op for op in grey if not _grey(*op)] == []
