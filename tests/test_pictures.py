"""Pictures: a mayor's portrait beside the name, the cover picture, the way up, and every
kind of PNG and JPEG printing as it looks on screen."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from conftest import DATA, Book, append, build_args, build_book, run_cli, write_folder, write_png


def _images(book: Book, index: int) -> list[tuple[int, int]]:
    """(width, height) in pixels of the pictures drawn on page `index`."""
    return [(img.image.width, img.image.height) for img in book.reader.pages[index].images]


def _data_with_photo(tmp_path: Path, orientation: int) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "images").mkdir()
    picture = Image.new("RGB", (400, 300), "#8899aa")  # stored landscape...
    exif = picture.getexif()
    exif[0x0112] = orientation  # ...and, with orientation 6, meant to be seen portrait
    picture.save(data / "images" / "bowser.jpg", exif=exif)
    with (data / "mayors" / "bowser.yaml").open("a", encoding="utf-8") as f:
        f.write("photo: images/bowser.jpg\n")
    return data


def test_a_portrait_is_printed_the_way_up_its_camera_recorded(tmp_path: Path):
    output = tmp_path / "book.pdf"
    data = _data_with_photo(tmp_path, orientation=6)
    book = build_book(output, "--mayor", "bowser", data=data)
    page = book.first_page_of("Muriel Bowser")
    [(width, height)] = _images(book, page)
    assert width < height, "the picture is still lying on its side"


def test_a_landscape_portrait_is_cropped_to_the_portrait_frame(tmp_path: Path):
    # 400 × 300 into the 96 × 120-point frame (4:5): the middle 240 × 300, made at 150 pixels
    # per inch of the frame's 1.33 × 1.67 inches, 200 × 250.
    output = tmp_path / "book.pdf"
    data = _data_with_photo(tmp_path, orientation=1)
    book = build_book(output, "--mayor", "bowser", data=data)
    page = book.first_page_of("Muriel Bowser")
    assert _images(book, page) == [(200, 250)]


def test_the_cover_picture_is_cropped_to_the_cover_field(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "images").mkdir()
    Image.new("RGB", (800, 450), "#335577").save(data / "images" / "cover.png")
    with (data / "book.yaml").open("a", encoding="utf-8") as f:
        f.write('cover:\n  image: images/cover.png\n  credit: "Photo: Alfred Twu"\n')
    output = tmp_path / "book.pdf"
    book = build_book(output, "--mayor", "bowser", data=data)
    # The field is the letter page's width by 56% of its height, 612 × 443.52 points: at
    # 150 ppi that would be 1275 pixels wide, more than the file has, so the file's own
    # 450 rows are kept and the width cropped to the field's shape, 450 × 612 / 443.52.
    assert _images(book, 0) == [(621, 450)]
    assert "Photo: Alfred Twu" in book.pages[0]


# --- every kind of picture prints as it looks --------------------------------------------------


def _portrait_page(tmp_path: Path, name: str, picture: Image.Image | bytes) -> Image.Image:
    """Build the small folder's book for Bowser with `picture` as her portrait, and return
    her page as the reader sees it: rendered by poppler at 40 dpi."""
    data = write_folder(tmp_path / name)
    (data / "images").mkdir()
    path = data / "images" / "bowser.img"
    if isinstance(picture, bytes):
        path.write_bytes(picture)
    else:
        picture.save(path, "PNG")
    append(data, "mayors/bowser.yaml", "photo: images/bowser.img\n")
    output = tmp_path / f"{name}.pdf"
    result = run_cli(build_args("--mayor", "bowser", data=data, output=output))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    book = Book(output)
    [page] = [i for i, p in enumerate(book.reader.pages) if i > 0 and p.images]
    prefix = tmp_path / f"{name}-page"
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-r",
            "40",
            "-png",
            "-singlefile",
            str(output),
            str(prefix),
        ],
        check=True,
    )
    with Image.open(f"{prefix}.png") as rendered:
        # Above the edition's stamp, which names a hash of the files, this picture's too.
        stamp = round(36 * 40 / 72)
        return rendered.convert("RGB").crop((0, 0, rendered.width, rendered.height - stamp))


def _worst_difference(a: Image.Image, b: Image.Image) -> int:
    """The largest difference of any channel of any pixel between two renderings."""
    from PIL import ImageChops

    assert a.size == b.size
    return max(high for _, high in ImageChops.difference(a, b).getextrema())


def _halves(left: tuple[int, ...], right: tuple[int, ...], mode: str) -> Image.Image:
    image = Image.new(mode, (60, 80), left)
    image.paste(Image.new(mode, (30, 80), right), (30, 0))
    return image


def _transparent(image: Image.Image, value: int | tuple[int, ...]) -> Image.Image:
    """`image` saved with `value` as its one transparent colour (a PNG's tRNS)."""
    image.info["transparency"] = value
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


# (name, the portrait, what it must look like as an ordinary 8-bit RGB picture, tolerance):
# the same page, pixel for pixel, within the tolerance. A CMYK picture printed in CMYK meets
# poppler's conversion to screen colours rather than Pillow's plain one, hence its wider
# tolerance; a negative (inks read the wrong way round) would be over twice as far off.
_CMYK = _halves((0, 255, 255, 0), (255, 0, 0, 0), "CMYK")
KINDS = [
    (
        "grey-16-bit",
        _halves((32768,), (8192,), "I;16"),
        _halves((128, 128, 128), (32, 32, 32), "RGB"),
        4,
    ),
    (
        "palette",
        _halves((200, 40, 40), (40, 40, 200), "RGB").quantize(4),
        _halves((200, 40, 40), (40, 40, 200), "RGB"),
        4,
    ),
    (
        # The right half is transparent: the page shows through, not its hidden colour.
        "grey-and-alpha",
        _halves((100, 255), (0, 0), "LA"),
        _halves((100, 100, 100), (255, 255, 255), "RGB"),
        4,
    ),
    (
        "rgba",
        _halves((40, 200, 40, 255), (200, 40, 40, 0), "RGBA"),
        _halves((40, 200, 40), (255, 255, 255), "RGB"),
        4,
    ),
    ("cmyk-jpeg", _jpeg(_CMYK), _CMYK.convert("RGB"), 96),
    # One grey or colour value marked transparent (tRNS): those pixels show the page.
    (
        "grey-16-bit-transparent",
        _transparent(_halves((32768,), (8000,), "I;16"), 8000),
        _halves((128, 128, 128), (255, 255, 255), "RGB"),
        4,
    ),
    (
        "grey-16-bit-all-transparent",
        _transparent(Image.new("I;16", (60, 80), 8000), 8000),
        Image.new("RGB", (60, 80), "white"),
        4,
    ),
    (
        "grey-transparent",
        _transparent(_halves((100,), (30,), "L"), 30),
        _halves((100, 100, 100), (255, 255, 255), "RGB"),
        4,
    ),
    (
        "rgb-transparent",
        _transparent(_halves((40, 200, 40), (200, 40, 40), "RGB"), (200, 40, 40)),
        _halves((40, 200, 40), (255, 255, 255), "RGB"),
        4,
    ),
]


@pytest.fixture(scope="module")
def blank_page(tmp_path_factory) -> Image.Image:
    """Bowser's page with a white portrait: what a picture that printed nothing looks like."""
    return _portrait_page(
        tmp_path_factory.mktemp("blank"), "blank", Image.new("RGB", (60, 80), "white")
    )


@pytest.mark.parametrize(
    ("kind", "portrait", "looks_like", "tolerance"), KINDS, ids=[k[0] for k in KINDS]
)
def test_every_kind_of_picture_prints_as_it_looks(
    tmp_path: Path,
    blank_page: Image.Image,
    kind: str,
    portrait,
    looks_like: Image.Image,
    tolerance: int,
) -> None:
    printed = _portrait_page(tmp_path, "printed", portrait)
    expected = _portrait_page(tmp_path, "expected", looks_like)
    blank = blank_page
    if looks_like.getextrema() == ((255, 255),) * 3:  # all of it the page: unlike its colour
        hidden = portrait.copy()  # the same picture with nothing transparent
        del hidden.info["transparency"]
        assert _worst_difference(_portrait_page(tmp_path, "hidden", hidden), blank) > 2 * tolerance
    else:
        assert _worst_difference(expected, blank) > 2 * tolerance, "the test could not fail"
    assert _worst_difference(printed, expected) <= tolerance, f"the {kind} picture misprints"


def test_a_16_bit_grey_portrait_is_embedded_grey_not_white(tmp_path: Path) -> None:
    data = write_folder(tmp_path / "data")
    (data / "images").mkdir()
    Image.new("I;16", (40, 50), 32768).save(data / "images" / "bowser.png")
    assert Image.open(data / "images" / "bowser.png").mode == "I;16"
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    output = tmp_path / "book.pdf"
    book = build_book(output, "--mayor", "bowser", data=data)
    [embedded] = [img for p in book.reader.pages for img in p.images]
    grey = embedded.image.convert("L")
    assert grey.size == (40, 50)
    assert grey.getextrema() == (128, 128)


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_16_bit_grey_with_a_transparent_value_is_laid_on_the_paper(
    tmp_path: Path, orientation: int
) -> None:
    """The pixels of the transparent value show the page's paper (white), the others print
    grey, whether or not the picture had to be turned upright; the PDF needs no mask."""
    picture = _halves((32768,), (8000,), "I;16").resize((96, 120))
    exif = picture.getexif()
    exif[0x0112] = orientation
    data = write_folder(tmp_path / "data")
    (data / "images").mkdir()
    picture.save(data / "images" / "bowser.png", transparency=8000, exif=exif)
    assert Image.open(data / "images" / "bowser.png").info["transparency"] == 8000
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    book = build_book(tmp_path / "book.pdf", "--mayor", "bowser", data=data)
    [embedded] = [img for p in book.reader.pages for img in p.images]
    assert "/SMask" not in embedded.indirect_reference.get_object()
    shown = embedded.image
    assert shown.mode == "L"
    if orientation == 6:  # turned a quarter clockwise: the left half is now the top one
        shown = shown.rotate(90, expand=True)
    width, height = shown.size
    # A column or two at the seam is a blend of both halves: resampling smooths edges.
    assert shown.crop((0, 0, width // 2 - 2, height)).getextrema() == (128, 128)
    assert shown.crop((width // 2 + 2, 0, width, height)).getextrema() == (255, 255)


def test_a_cmyk_photo_taken_sideways_is_turned_upright(tmp_path: Path) -> None:
    photo = Image.new("CMYK", (60, 40), (0, 255, 255, 0))
    exif = photo.getexif()
    exif[0x0112] = 6
    out = BytesIO()
    photo.save(out, "JPEG", exif=exif)
    data = write_folder(tmp_path / "data")
    (data / "images").mkdir()
    (data / "images" / "bowser.jpg").write_bytes(out.getvalue())
    append(data, "mayors/bowser.yaml", "photo: images/bowser.jpg\n")
    output = tmp_path / "book.pdf"
    book = build_book(output, "--mayor", "bowser", data=data)
    [embedded] = [img for p in book.reader.pages for img in p.images]
    # Upright it is 40 × 60; the 4:5 frame keeps its middle 40 × 50, in sRGB.
    assert (embedded.image.width, embedded.image.height) == (40, 50)
    assert embedded.image.mode == "RGB"


def _pictures_and_words(pdf: Path, index: int):
    """The picture boxes and the words (with their boxes) on page `index`, from the top."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTImage, LTTextLine

    def walk(item):
        yield item
        for child in getattr(item, "_objs", ()):
            yield from walk(child)

    page = list(extract_pages(pdf, laparams=LAParams()))[index]
    items = list(walk(page))
    pictures = [i for i in items if isinstance(i, LTImage)]
    lines = [(i.get_text().strip(), i) for i in items if isinstance(i, LTTextLine)]
    return pictures, lines


@pytest.mark.parametrize("layout", ["default", "classic", "one-pager"])
def test_the_name_stays_beside_a_short_wide_photo(tmp_path: Path, layout: str):
    # ReportLab sets what does not fit beside a picture below it: beside one 4 times as wide
    # as it is high, the eyebrow fitted and the name fell under the picture, leaving a band
    # of white between them.
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    write_png(data / "images" / "walsh.png", 800, 200)
    append(data, "mayors/walsh.yaml", "photo: images/walsh.png\n")
    pdf = tmp_path / "book.pdf"
    book = build_book(pdf, "--mayor", "walsh", "--layout", layout, data=data)
    index = 0 if layout == "one-pager" else book.first_page_of("Marty Walsh")
    [picture], lines = _pictures_and_words(pdf, index)
    [name] = [box for text, box in lines if text == "Marty Walsh"]
    assert name.y1 > picture.y0, "the name starts below the picture"
    assert name.x1 < picture.x0 or name.x0 > picture.x1, "the name runs into the picture"


def test_a_one_pager_with_a_photo_is_one_page_with_the_picture(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    write_png(data / "images" / "walsh.png", 300, 400)
    append(data, "mayors/walsh.yaml", "photo: images/walsh.png\n")
    book = build_book(tmp_path / "book.pdf", "--layout", "one-pager", "--mayor", "walsh", data=data)
    assert book.page_count == 1
    assert _images(book, 0) == [(200, 250)]
    assert "Marty Walsh" in book.lines(0)
