"""Photos as a staffer adds them (straight from a phone or a camera) become pictures made
for their frames: read back from the PDF, each image's pixels against its placed size, its
way up, its colours, what is cropped away, the size budget and its report, and the cache."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw

from conftest import Book, append, build_args, run_cli, write_folder

FRAME = (96, 120)  # the default layout's portrait frame, in points
EMAIL = (200, 250)  # its pixels at 150 per inch
PRINT = (400, 500)  # at 300
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def _folder(tmp_path: Path) -> Path:
    data = write_folder(tmp_path / "data")
    (data / "images").mkdir()
    return data


def _with_photo(data: Path, name: str, content: bytes, mayor: str = "bowser") -> None:
    (data / "images" / name).write_bytes(content)
    append(data, f"mayors/{mayor}.yaml", f"photo: images/{name}\n")


def _jpeg(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, **options)
    return out.getvalue()


def _photo(width: int, height: int) -> Image.Image:
    """Something like a photograph: noise, a gradient and a shape, many colours."""
    noise = Image.effect_noise((width // 8 or 1, height // 8 or 1), 40).resize((width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, noise.transpose(Image.Transpose.ROTATE_180)))
    ImageDraw.Draw(image).ellipse(
        (width * 0.35, height * 0.2, width * 0.65, height * 0.7), fill=(200, 160, 130)
    )
    return image


def _build(tmp_path: Path, data: Path, *args: str, name: str = "book.pdf"):
    output = tmp_path / name
    result = run_cli(build_args("--mayor", "bowser", *args, data=data, output=output))
    return result, output


def _built(tmp_path: Path, data: Path, *args: str) -> Book:
    result, output = _build(tmp_path, data, *args)
    assert result.exit_code == 0, result.output
    return Book(output)


def _placed(pdf: Path) -> list[tuple[tuple[int, int], tuple[float, float]]]:
    """Every picture drawn in the PDF: its pixels and its placed size in points."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTFigure, LTImage

    def walk(item):
        if isinstance(item, LTImage):
            yield item
        if isinstance(item, LTFigure) or hasattr(item, "_objs"):
            for child in item:
                yield from walk(child)

    return [
        (tuple(int(v) for v in image.srcsize), (round(image.width, 2), round(image.height, 2)))
        for page in extract_pages(pdf)
        for image in walk(page)
    ]


def _embedded(book: Book) -> list[Image.Image]:
    return [img.image for page in book.reader.pages for img in page.images]


# --- sized for where it is placed --------------------------------------------------------------


@pytest.mark.parametrize(("quality", "pixels"), [("email", EMAIL), ("print", PRINT)])
def test_a_camera_photo_is_made_at_the_quality_asked_for(
    tmp_path: Path, quality: str, pixels: tuple[int, int]
):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(4000, 3000)))
    result, output = _build(tmp_path, data, "--quality", quality)
    assert result.exit_code == 0, result.output
    [(size, placed)] = _placed(output)
    assert placed == FRAME
    assert size == pixels
    ppi = size[0] / (placed[0] / 72)
    assert ppi == {"email": 150, "print": 300}[quality]
    assert output.stat().st_size < (80_000 if quality == "email" else 140_000)


def test_the_default_quality_is_email(tmp_path: Path):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(1600, 1200)))
    result, output = _build(tmp_path, data)
    assert result.exit_code == 0, result.output
    assert [size for size, _ in _placed(output)] == [EMAIL]


def test_a_small_photo_is_never_enlarged(tmp_path: Path):
    # 120 × 150 is fewer pixels than the frame needs even at 150 ppi: kept, only cropped.
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(130, 150)))
    result, output = _build(tmp_path, data, "--quality", "print")
    assert result.exit_code == 0, result.output
    [(size, placed)] = _placed(output)
    assert (size, placed) == ((120, 150), FRAME)


def _marked(size: tuple[int, int], where: tuple[int, int, int, int]) -> Image.Image:
    image = Image.new("RGB", size, (40, 60, 200))  # blue, with one red box
    ImageDraw.Draw(image).rectangle(where, fill=(220, 30, 30))
    return image


def _redness(image: Image.Image) -> float:
    """The share of the picture that is red."""
    rgb = image.convert("RGB")
    red = sum(n for n, (r, g, b) in _colours(rgb) if r > 150 and b < 100)
    return red / (rgb.width * rgb.height)


def _colours(image: Image.Image) -> list[tuple[int, tuple[int, ...]]]:
    """(how many pixels, colour) of every colour of `image`."""
    return image.getcolors(maxcolors=image.width * image.height)


@pytest.mark.parametrize(
    ("focus", "red"),
    [(None, False), ("[0, 0.5]", True), ("[1, 0.5]", False)],
    ids=["centre", "left", "right"],
)
def test_a_landscape_photo_is_cropped_to_the_frame_around_its_focus(
    tmp_path: Path, focus: str | None, red: bool
):
    # 900 × 300 with a red box at its left edge: the 4:5 frame keeps 240 × 300 of it, the
    # middle unless photo_focus names another point.
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_marked((900, 300), (0, 0, 200, 300))))
    if focus:
        append(data, "mayors/bowser.yaml", f"photo_focus: {focus}\n")
    book = _built(tmp_path, data)
    [picture] = _embedded(book)
    assert picture.size == (200, 250)
    assert (_redness(picture) > 0.5) is red


# Pillow's names for what each EXIF orientation asks, and the inverse, which makes the file.
_ORIENTATIONS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # the file is turned back; EXIF 6 turns it 270
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", list(_ORIENTATIONS))
def test_every_exif_orientation_prints_the_way_up(tmp_path: Path, orientation: int):
    upright = _marked((400, 500), (0, 0, 199, 249))  # red top left quarter
    stored = upright if orientation == 1 else upright.transpose(_ORIENTATIONS[orientation])
    exif = stored.getexif()
    exif[0x0112] = orientation
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(stored, exif=exif))
    [picture] = _embedded(_built(tmp_path, data))
    assert picture.size == EMAIL
    w, h = picture.size
    assert _redness(picture.crop((0, 0, w // 2 - 4, h // 2 - 4))) > 0.95
    for box in [(w // 2 + 4, 0, w, h), (0, h // 2 + 4, w, h)]:
        assert _redness(picture.crop(box)) == 0


# --- colours, bits, transparency, frames -------------------------------------------------------


def _pixel(book: Book) -> tuple[int, ...]:
    [picture] = _embedded(book)
    return picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2))


def _near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.skipif(not CMYK_PROFILE.is_file(), reason="no CMYK ICC profile on this machine")
def test_a_cmyk_photo_is_converted_through_its_icc_profile(tmp_path: Path):
    cyan = Image.new("CMYK", (200, 250), (255, 0, 0, 0))
    profile = CMYK_PROFILE.read_bytes()
    expected = ImageCms.profileToProfile(
        cyan,
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"),
        outputMode="RGB",
    ).getpixel((0, 0))
    naive = cyan.convert("RGB").getpixel((0, 0))
    assert not _near(expected, naive, 30), "the test could not fail"
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(cyan, icc_profile=profile))
    book = _built(tmp_path, data)
    [picture] = _embedded(book)
    assert picture.mode == "RGB"
    assert _near(_pixel(book), expected)


def test_a_cmyk_photo_without_a_profile_prints_its_plain_colours(tmp_path: Path):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(Image.new("CMYK", (200, 250), (0, 255, 255, 0))))
    assert _near(_pixel(_built(tmp_path, data)), (255, 0, 0))


def test_metadata_is_stripped(tmp_path: Path):
    photo = _photo(800, 1000)
    exif = photo.getexif()
    exif[0x010F] = "PhoneMaker"  # the camera's maker
    exif[0x0132] = "2026:11:30 09:15:00"  # when
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(photo, exif=exif, icc_profile=profile))
    book = _built(tmp_path, data)
    [embedded] = [img for page in book.reader.pages for img in page.images]
    stream = embedded.data
    assert stream.startswith(b"\xff\xd8")
    assert b"Exif" not in stream and b"PhoneMaker" not in stream
    assert b"ICC_PROFILE" not in stream


def test_a_16_bit_photo_is_made_8_bit(tmp_path: Path):
    grey = Image.new("I;16", (200, 250), 16384)  # a quarter of 16 bits: 64 in 8
    out = io.BytesIO()
    grey.save(out, "PNG")
    data = _folder(tmp_path)
    _with_photo(data, "bowser.png", out.getvalue())
    [picture] = _embedded(_built(tmp_path, data))
    assert picture.mode == "L"
    assert picture.getextrema() == (64, 64)


def _paper_layout(tmp_path: Path) -> Path:
    layout = tmp_path / "cream"
    layout.mkdir()
    (layout / "layout.yaml").write_text('palette:\n  paper: "#f4ecd8"\n', "utf-8")
    return layout


def test_a_palette_picture_with_transparency_is_laid_on_the_layouts_paper(tmp_path: Path):
    image = Image.new("RGBA", (200, 250), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 99, 249), fill=(30, 120, 60, 255))
    paletted = image.quantize(4)  # P with a transparent entry
    out = io.BytesIO()
    paletted.save(out, "PNG")
    assert Image.open(io.BytesIO(out.getvalue())).mode == "P"
    data = _folder(tmp_path)
    _with_photo(data, "bowser.png", out.getvalue())
    book = _built(tmp_path, data, "--layout", str(_paper_layout(tmp_path)))
    [embedded] = [img for page in book.reader.pages for img in page.images]
    assert "/SMask" not in embedded.indirect_reference.get_object()
    rgb = embedded.image.convert("RGB")
    assert _near(rgb.getpixel((150, 125)), (0xF4, 0xEC, 0xD8), 1)  # the paper shows
    assert _near(rgb.getpixel((40, 125)), (30, 120, 60), 8)


def test_an_animated_gif_prints_its_first_frame(tmp_path: Path):
    frames = [Image.new("RGB", (200, 250), colour) for colour in ((220, 30, 30), (40, 60, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    assert Image.open(io.BytesIO(out.getvalue())).n_frames == 2
    data = _folder(tmp_path)
    _with_photo(data, "bowser.gif", out.getvalue())
    assert _near(_pixel(_built(tmp_path, data)), (220, 30, 30), 10)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"just some words\n",
            "'images/bowser.jpg' is a text file, not a picture briefbook can read; expected a "
            "picture in JPEG, PNG, GIF, WebP, TIFF or BMP",
        ),
        (
            _jpeg(Image.new("RGB", (300, 300), "#808080"))[:400],
            "'images/bowser.jpg' is not a readable image (cut short or damaged); expected a "
            "picture in JPEG, PNG, GIF, WebP, TIFF or BMP",
        ),
    ],
    ids=["text-named-jpg", "truncated"],
)
def test_a_file_that_is_no_whole_picture_is_refused_at_its_line(
    tmp_path: Path, content: bytes, message: str
):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", content)
    result, output = _build(tmp_path, data)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{data}/mayors/bowser.yaml:8: photo: {message}",
        "1 problem found; nothing was written",
    ]
    assert not output.exists()


# --- the frame without a photo -----------------------------------------------------------------


def _render(pdf: Path, page: int) -> Image.Image:
    import subprocess

    prefix = pdf.with_suffix("")
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", *pages, "-r", "72", "-png", "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    with Image.open(f"{prefix}.png") as image:
        return image.convert("RGB")


@pytest.mark.parametrize("layout", ["default", "one-pager"])
def test_a_mayor_without_a_photo_gets_a_monogram_in_the_frame(tmp_path: Path, layout: str):
    data = _folder(tmp_path)
    result, output = _build(tmp_path, data, "--layout", layout)
    assert result.exit_code == 0, result.output
    book = Book(output)
    page = 0 if layout == "one-pager" else book.first_page_of("Muriel Bowser")
    assert len(book.reader.pages[page].images) == 0  # drawn, not a picture
    assert "MB" not in book.pages[page].split()  # shapes, not words to copy or hear
    rendered = _render(output, page + 1)
    # The frame's place: right of the name block, the layout's right margin at its right.
    margin = {"default": 100, "one-pager": 72}[layout]
    right = 612 - margin
    inside = rendered.crop((right - 90, 0, right - 6, 792))
    from PIL import ImageChops

    field = Image.new("RGB", inside.size, (0x17, 0x32, 0x5C))
    seen = ImageChops.difference(inside, field).convert("L").point(lambda v: 255 * (v <= 3))
    box = seen.getbbox()
    assert box is not None, "no frame in the field colour"
    assert (box[2] - box[0], box[3] - box[1]) >= (84, 110)  # 96 × 120 points, in the crop
    framed = inside.crop(box)
    letters = sum(n for n, p in _colours(framed) if p == (255, 255, 255))
    assert letters > 300, "no initials in the frame"


def test_a_layout_may_leave_the_frame_out_without_a_photo(tmp_path: Path):
    layout = tmp_path / "plain"
    layout.mkdir()
    (layout / "layout.yaml").write_text("photo:\n  missing: nothing\n", "utf-8")
    data = _folder(tmp_path)
    result, output = _build(tmp_path, data, "--layout", str(layout))
    assert result.exit_code == 0, result.output
    book = Book(output)
    page = book.first_page_of("Muriel Bowser")
    rendered = _render(output, page + 1).crop((420, 40, 506, 170))
    assert rendered.getextrema() == ((255, 255),) * 3, "a frame was drawn"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Bill de Blasio", "BB"),
        ("Karen Freeman-Wilson", "KF"),
        ("Chokwe Antar Lumumba", "CL"),
        ("Martin Luther King Jr.", "MK"),
        ("Madonna", "M"),
        ("élise o'brien", "ÉO"),
        ("E\u0301mile N\u0303u\u0301n\u0303ez", "ÉÑ"),  # accents stored after their letters
    ],
)
def test_initials(name: str, initials: str):
    from briefbook.render import initials as of

    assert of(name) == initials


# --- the size budget ---------------------------------------------------------------------------


def _two_photos(tmp_path: Path) -> Path:
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(1000, 1250)))
    _with_photo(data, "durkan.jpg", _jpeg(Image.new("RGB", (1000, 1250), "#556677")), "durkan")
    return data


_REPORT_PICTURE = re.compile(
    r"^ +[0-9.]+ (?:B|KB|MB) +(\S+): placed 1\.33 × 1\.67 in, 400 × 500 px "
    r"\(the file has 1000 × 1250\)$"
)


def test_a_book_over_the_budget_is_refused_with_what_takes_the_space(tmp_path: Path):
    data = _two_photos(tmp_path)
    output = tmp_path / "book.pdf"
    args = ["--mayor", "bowser", "--mayor", "durkan", "--quality", "print"]
    result = run_cli(build_args(*args, "--max-size", "20KB", data=data, output=output))
    assert result.exit_code == 1
    assert not output.exists()
    assert list(tmp_path.glob(".*.part")) == []
    lines = result.stderr.splitlines()
    first = re.fullmatch(
        rf"Error: {re.escape(str(output))}: the book would be ([0-9]+) KB \(([0-9,]+) bytes\), "
        r"more than --max-size of 20 KB \(20,000 bytes\); nothing was written",
        lines[0],
    )
    assert first, lines[0]
    assert lines[1] == "What takes the space:"
    assert re.fullmatch(r" +[0-9]+ KB  2 pictures", lines[2]), lines[2]
    # Largest first: the noisy photo costs more than the flat one.
    files = [_REPORT_PICTURE.match(line).group(1) for line in lines[3:5]]
    assert files == [f"{data}/images/bowser.jpg", f"{data}/images/durkan.jpg"]
    assert re.fullmatch(r" +[0-9]+ KB  fonts", lines[5]), lines[5]
    assert re.fullmatch(r" +[0-9]+ KB  the rest \(text, pages, links, bookmarks\)", lines[6])
    assert lines[7] == (
        "To make it smaller: --quality email, fewer mayors (--theme, --state, --mayor), or, "
        "in the layout, smaller picture frames or a lower pictures.jpeg_quality"
    )
    # The parts add up to the whole, within the rounding of each to a kilobyte.
    parts = [int(re.search(r"([0-9]+) KB", lines[i]).group(1)) for i in (2, 5, 6)]
    assert abs(sum(parts) - int(first.group(2).replace(",", "")) / 1000) <= 3


def test_the_report_gives_each_picture_the_bytes_the_pdf_holds_for_it(tmp_path: Path):
    data = _two_photos(tmp_path)
    output = tmp_path / "book.pdf"
    args = ["--mayor", "bowser", "--mayor", "durkan", "--quality", "print"]
    refused = run_cli(build_args(*args, "--max-size", "1KB", data=data, output=output))
    listed = {
        m.group(1): m.group(0).split()[0:2]
        for line in refused.stderr.splitlines()
        if (m := _REPORT_PICTURE.match(line))
    }
    assert run_cli(build_args(*args, data=data, output=output)).exit_code == 0
    from briefbook.sizes import size_words

    held = sorted(
        len(img.indirect_reference.get_object().get_data())
        for page in Book(output).reader.pages
        for img in page.images
    )
    assert sorted(" ".join(v) for v in listed.values()) == sorted(size_words(n) for n in held)


def test_a_book_within_the_budget_is_written(tmp_path: Path):
    data = _two_photos(tmp_path)
    result, output = _build(tmp_path, data, "--max-size", "5MB")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert output.stat().st_size <= 5_000_000


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("5 GB", "expected a size such as 5MB, 800KB or 2000000B (units B, KB, MB), found '5 GB'"),
        ("lots", "expected a size such as 5MB, 800KB or 2000000B (units B, KB, MB), found 'lots'"),
        ("0MB", "expected a size of at least 1 byte, found '0MB'"),
    ],
)
def test_a_size_that_is_no_size_is_a_usage_error(given: str, message: str):
    result = run_cli(["build", "--max-size", given])
    assert result.exit_code == 2
    assert f"Invalid value for '--max-size': {message}" in result.stderr


@pytest.mark.parametrize(("given", "size"), [("5MB", 5_000_000), ("2.5 mb", 2_500_000)])
def test_sizes_are_decimal(given: str, size: int):
    from briefbook.sizes import parse_size

    assert parse_size(given) == size
    assert parse_size("800KB") == 800_000 and parse_size("1234") == 1234


def test_an_email_edition_over_what_mail_accepts_is_written_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import briefbook.sizes

    # Ten megabytes of email edition takes hundreds of photos; the limit is lowered instead.
    monkeypatch.setattr(briefbook.sizes, "EMAIL_LIMIT", 20_000)
    data = _two_photos(tmp_path)
    result, output = _build(tmp_path, data)
    assert result.exit_code == 0, result.output
    assert output.is_file()
    lines = result.stderr.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(output))}: warning: the book is [0-9]+ KB \([0-9,]+ bytes\), more "
        r"than the 20 KB many mail systems accept",
        lines[0],
    ), lines[0]
    assert lines[1] == "What takes the space:"
    assert "bowser.jpg: placed 1.33 × 1.67 in, 200 × 250 px" in lines[3]
    strict, _ = _build(tmp_path, data, "--strict", name="strict.pdf")
    assert strict.exit_code == 1
    assert "more than the email limit (--strict) of 20 KB" in strict.stderr
    assert not (tmp_path / "strict.pdf").exists()
    printed, _ = _build(tmp_path, data, "--quality", "print", name="print.pdf")
    assert printed.exit_code == 0 and printed.stderr == "", "print editions are not for email"


# --- the cache ---------------------------------------------------------------------------------


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "briefbook" / "pictures").rglob("*") if p.is_file())


def test_a_second_build_uses_the_cache_and_a_damaged_entry_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import briefbook.pictures

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(1200, 1500)))
    first = _embedded(_built(tmp_path, data))
    [entry] = _entries(cache)
    made = []
    real = briefbook.pictures._made
    monkeypatch.setattr(briefbook.pictures, "_made", lambda *a: made.append(1) or real(*a))
    assert [p.tobytes() for p in _embedded(_built(tmp_path, data))] == [first[0].tobytes()]
    assert made == [], "the picture was made again"
    for damage in (b"", entry.read_bytes()[:-100], entry.read_bytes()[:-1] + b"!"):
        entry.write_bytes(damage)
        again = _embedded(_built(tmp_path, data))
        assert [p.tobytes() for p in again] == [first[0].tobytes()]
        assert entry.read_bytes() != damage, "the damaged entry was kept"
    assert len(made) == 3
    _built(tmp_path, data, "--quality", "print")  # another quality, another entry
    assert len(_entries(cache)) == 2


def test_an_unwritable_cache_only_makes_builds_slower(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(400, 500)))
    book = _built(tmp_path, data)
    assert [p.size for p in _embedded(book)] == [EMAIL]


@pytest.mark.parametrize(
    ("environ", "platform", "folder"),
    [
        ({"HOME": "/home/a", "XDG_CACHE_HOME": "/var/c"}, "linux", "/var/c/briefbook"),
        ({"HOME": "/home/a"}, "linux", "/home/a/.cache/briefbook"),
        ({"HOME": "/home/a", "XDG_CACHE_HOME": "rel"}, "linux", "/home/a/.cache/briefbook"),
        ({"HOME": "/Users/a"}, "darwin", "/Users/a/Library/Caches/briefbook"),
        ({"HOME": "C:/u", "LOCALAPPDATA": "C:/u/L"}, "win32", "C:/u/L/briefbook/Cache"),
    ],
)
def test_the_cache_folder_follows_the_platform(environ, platform, folder):
    from briefbook.cache import cache_folder

    assert cache_folder(environ, platform).as_posix() == folder


# --- alt text and focus in the data ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "photo_focus: [2, 0.5]",
            "photo_focus[0]: expected a share from 0 to 1, found a number (2)",
        ),
        (
            "photo_focus: [0.5]",
            "photo_focus: expected two shares from 0 to 1, [x, y], such as [0.5, 0.3], found "
            "1 item",
        ),
        ("photo_alt: ''", "photo_alt: expected text, found an empty value"),
    ],
)
def test_a_bad_focus_or_alt_text_is_refused(tmp_path: Path, line: str, message: str):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(200, 250)))
    append(data, "mayors/bowser.yaml", line + "\n")
    result, _ = _build(tmp_path, data)
    assert result.exit_code == 1
    assert f"{data}/mayors/bowser.yaml:9: {message}" in result.stderr, result.stderr


def test_alt_text_without_a_picture_is_a_warning(tmp_path: Path):
    data = _folder(tmp_path)
    append(data, "mayors/bowser.yaml", "photo_alt: The mayor at City Hall\n")
    result, _ = _build(tmp_path, data)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{data}/mayors/bowser.yaml:8: warning: photo_alt: a photo_alt but no photo, so it "
        "describes no picture; add the photo, or remove photo_alt"
    ]


def test_alt_text_is_in_the_model(tmp_path: Path):
    from briefbook.build import Options, load_and_select

    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(200, 250)))
    _with_photo(data, "durkan.jpg", _jpeg(_photo(200, 250)), "durkan")
    append(data, "mayors/durkan.yaml", "photo_alt: Jenny   Durkan at a podium\n")
    book, _, _ = load_and_select(Options(data=data), None)
    alts = {m.id: m.photo_alt for m in book.mayors}
    assert alts["bowser"] == "Portrait of Muriel Bowser"
    assert alts["durkan"] == "Jenny Durkan at a podium"


@pytest.mark.parametrize(
    ("monogram", "status", "line"),
    [
        (
            "fill: navy",
            1,
            "layout.yaml:3: photo.monogram.fill: unknown colour 'navy'; expected a palette name "
            "(ink, muted, rule, field, motif, accent, accent_text, tint, chosen_tint, link, "
            "paper, on_field) or #rrggbb",
        ),
        (
            "fill: tint\n    color: paper",
            0,
            "layout.yaml:4: warning: photo.monogram.color: paper on tint has a contrast of "
            "1.1:1 (in colour or in grey); expected at least 3:1 for 34 pt text, so that it "
            "reads on paper and in black and white",
        ),
    ],
    ids=["unknown-colour", "faint-initials"],
)
def test_the_monogram_colours_are_checked(tmp_path: Path, monogram: str, status: int, line: str):
    layout = tmp_path / "look"
    layout.mkdir()
    (layout / "layout.yaml").write_text(f"photo:\n  monogram:\n    {monogram}\n", "utf-8")
    result, _ = _build(tmp_path, _folder(tmp_path), "--layout", str(layout))
    assert result.exit_code == status
    assert result.stderr.splitlines()[0] == f"{layout}/{line}"


def _jpeg_with_odd_exif() -> bytes:
    """A JPEG whose EXIF says 'turn a quarter' and holds a WhitePoint written as text, which
    Pillow's own exif_transpose fails on."""
    import struct

    plain = _jpeg(Image.new("RGB", (64, 48), (10, 200, 30)))
    entries = struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">HHI", 0x013E, 2, 4)
    tiff = b"MM\0*\0\0\0\x08" + struct.pack(">H", 2) + entries + b"abc\0" + b"\0\0\0\0"
    app1 = b"Exif\0\0" + tiff
    return plain[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + plain[2:]


def test_a_photo_with_malformed_exif_still_prints_the_way_up(tmp_path: Path):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg_with_odd_exif())
    result, output = _build(tmp_path, data)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert [size for size, _ in _placed(output)] == [(48, 60)]  # 64 × 48 turned upright


def test_a_photo_saved_with_a_palette_or_in_grey_is_stored_as_a_photo(tmp_path: Path):
    # A photo squeezed into 256 colours (or greys) resamples into a photo again: as Flate it
    # would be ten times the JPEG.
    data = _folder(tmp_path)
    for name, picture in [("bowser.png", _photo(800, 1000).quantize(256))]:
        out = io.BytesIO()
        picture.save(out, "PNG")
        _with_photo(data, name, out.getvalue())
    out = io.BytesIO()
    _photo(800, 1000).convert("L").save(out, "PNG")
    _with_photo(data, "durkan.png", out.getvalue(), "durkan")
    result, output = _build(tmp_path, data, "--mayor", "durkan", "--quality", "print")
    assert result.exit_code == 0, result.output
    streams = [
        list(img.indirect_reference.get_object()["/Filter"])
        for page in Book(output).reader.pages
        for img in page.images
    ]
    assert streams == [["/DCTDecode"], ["/DCTDecode"]]


def test_a_drawing_of_few_colours_is_stored_losslessly(tmp_path: Path):
    logo = _marked((400, 500), (50, 50, 350, 250))  # two flat colours
    out = io.BytesIO()
    logo.save(out, "PNG")
    data = _folder(tmp_path)
    _with_photo(data, "bowser.png", out.getvalue())
    book = _built(tmp_path, data)
    [embedded] = [img for page in book.reader.pages for img in page.images]
    filters = embedded.indirect_reference.get_object()["/Filter"]  # a name, or a list of them
    assert (list(filters) if isinstance(filters, list) else [filters]) == ["/FlateDecode"]
    assert embedded.image.size == EMAIL


def test_one_picture_used_twice_is_one_entry_of_the_report(tmp_path: Path):
    data = _folder(tmp_path)
    photo = _jpeg(_photo(400, 500))
    _with_photo(data, "bowser.jpg", photo)
    _with_photo(data, "copy.jpg", photo, "durkan")
    output = tmp_path / "book.pdf"
    args = ["--mayor", "bowser", "--mayor", "durkan", "--max-size", "1KB"]
    result = run_cli(build_args(*args, data=data, output=output))
    lines = result.stderr.splitlines()
    assert re.fullmatch(r" +[0-9]+ KB  1 picture", lines[2]), lines[2]
    assert lines[3].endswith(
        f"{data}/images/bowser.jpg: placed 1.33 × 1.67 in, 200 × 250 px (the file has "
        f"400 × 500) (also for {data}/images/copy.jpg)"
    )
    assert lines[4].endswith("  fonts")


def test_an_empty_picture_file_is_called_empty(tmp_path: Path):
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", b"")
    result, _ = _build(tmp_path, data)
    assert result.exit_code == 1
    assert (
        f"{data}/mayors/bowser.yaml:8: photo: 'images/bowser.jpg' is an empty file, not a "
        "picture briefbook can read" in result.stderr
    )


def test_a_letter_whose_outline_is_made_of_itself_draws_nothing_and_ends():
    """A hostile font's composite glyph that names itself as its part twelve times would
    take 12 ** 8 steps to walk; the walk stops at the first repeat."""
    import struct
    from types import SimpleNamespace

    from briefbook.flowables.outlines import glyph_contours

    parts = b"".join(struct.pack(">HHbb", 0x0020 if i < 11 else 0, 0, 0, 0) for i in range(12))
    glyph = struct.pack(">hhhhh", -1, 0, 0, 100, 100) + parts
    face = SimpleNamespace(_ttf_data=glyph, table={"glyf": {"offset": 0}}, glyphPos=[0, len(glyph)])
    assert glyph_contours(face, 0) == []


def test_a_build_from_the_cache_is_the_same_book_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = _folder(tmp_path)
    _with_photo(data, "bowser.jpg", _jpeg(_photo(900, 700)))
    cold, first = _build(tmp_path, data, name="cold.pdf")
    warm, second = _build(tmp_path, data, name="warm.pdf")
    assert cold.exit_code == warm.exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_each_letter_of_the_monograms_is_drawn_once_and_shared(tmp_path: Path):
    # The initials' outlines are forms of the PDF's own: two mayors whose initials share a
    # letter share its form, and a page names the forms it draws instead of tracing them.
    import pikepdf

    data = _folder(tmp_path)
    result, output = _build(tmp_path, data)
    assert result.exit_code == 0, result.output
    book = Book(output)
    pdf = pikepdf.open(output)
    forms: dict[str, set] = {}
    for page in pdf.pages:
        xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
        for name, form in xobjects.items():
            if "glyph-" in name:
                forms.setdefault(name, set()).add(form.objgen)
    assert forms, "no glyph forms"
    assert all(len(objects) == 1 for objects in forms.values()), forms  # one object each
    page = pdf.pages[book.first_page_of("Muriel Bowser")]
    names = {str(n) for n in page.obj.Resources.XObject if "glyph-" in str(n)}
    assert len(names) == 2  # M and B
    drawn = page.Contents.read_bytes()
    assert not re.search(rb"\d [-\d.]+ [-\d.]+ c\b", drawn)  # no curve traced on the page
