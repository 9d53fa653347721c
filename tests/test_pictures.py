"""Pictures: a mayor's portrait beside the name, the cover picture, and the way up."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from conftest import DATA, Book, build_args, run_cli


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
    result = run_cli(build_args("--mayor", "bowser", data=data, output=output))
    assert result.exit_code == 0, result.output
    book = Book(output)
    page = book.first_page_of("Muriel Bowser")
    [(width, height)] = _images(book, page)
    assert width < height, "the picture is still lying on its side"


def test_an_upright_portrait_is_embedded_as_it_is(tmp_path: Path):
    output = tmp_path / "book.pdf"
    data = _data_with_photo(tmp_path, orientation=1)
    result = run_cli(build_args("--mayor", "bowser", data=data, output=output))
    assert result.exit_code == 0, result.output
    book = Book(output)
    page = book.first_page_of("Muriel Bowser")
    assert _images(book, page) == [(400, 300)]


def test_the_cover_picture_is_drawn_on_the_cover(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "images").mkdir()
    Image.new("RGB", (800, 450), "#335577").save(data / "images" / "cover.png")
    book_yaml = data / "book.yaml"
    text = book_yaml.read_text("utf-8").replace("cover:\n", "cover:\n  image: images/cover.png\n")
    book_yaml.write_text(text, "utf-8")
    output = tmp_path / "book.pdf"
    result = run_cli(build_args("--mayor", "bowser", data=data, output=output))
    assert result.exit_code == 0, result.output
    book = Book(output)
    assert _images(book, 0) == [(800, 450)]
    assert "Photo: Alfred Twu" in book.pages[0]
