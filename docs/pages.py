"""Turn real pages of the shipped layouts into docs/pages.png, the README's picture: the
reentry book's cover, its first mayor with a photo and its second with the monogram drawn
when there is none, its read-ahead, and a leave-behind.

The shipped data has no photos (portraits of real people need their permission), so the
first mayor gets a drawn stand-in: a figure against a sky, made here, 3000 × 4000 pixels
like a phone's, which the build crops and resamples as it would a real one.

Needs pdftoppm (Debian package poppler-utils). Run from the top of the repository:
    .venv/bin/python docs/pages.py
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

# (build options, page) of each picture, left to right.
PAGES = (
    (("--theme", "reentry"), 1),
    (("--theme", "reentry"), 5),
    (("--theme", "reentry"), 6),
    (("--theme", "reentry", "--layout", "read-ahead"), 1),
    (("--mayor", "walsh", "--layout", "one-pager"), 1),
)
WITH_PHOTO = "bowser"  # the reentry book's first mayor
# A side of a booklet's sheet: the reentry booklet's second sheet, back (pages 4 and 13).
BOOKLET = (("--theme", "reentry", "--booklet"), 4)


def stand_in(path: Path) -> None:
    """A portrait-shaped picture of a figure against a sky, soft like a photo."""
    from PIL import ImageDraw, ImageFilter

    width, height = 3000, 4000
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 120 + v // 4),
            sky.point(lambda v: 150 + v // 5),
            Image.new("L", (width, height), 205),
        ),
    )
    draw = ImageDraw.Draw(image)
    draw.ellipse((650, 2700, 2350, 4700), fill=(52, 64, 92))  # shoulders, a dark jacket
    draw.rectangle((1320, 2350, 1680, 2900), fill=(168, 120, 92))  # neck
    draw.ellipse((1020, 1150, 1980, 2500), fill=(180, 130, 100))  # head
    draw.chord((980, 1050, 2020, 2000), 180, 360, fill=(50, 36, 30))  # hair
    draw.polygon([(1400, 2900), (1500, 3300), (1600, 2900)], fill=(235, 235, 240))  # collar
    image = image.filter(ImageFilter.GaussianBlur(18))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    Image.blend(image, noise, 0.06).save(path, quality=90)


def data_with_photo(root: Path, tmp: Path) -> Path:
    data = tmp / "data"
    shutil.copytree(root / "data", data)
    (data / "images").mkdir(exist_ok=True)
    stand_in(data / "images" / f"{WITH_PHOTO}.jpg")
    with (data / "mayors" / f"{WITH_PHOTO}.yaml").open("a", encoding="utf-8") as mayor:
        mayor.write(f"photo: images/{WITH_PHOTO}.jpg\nphoto_focus: [0.5, 0.4]\n")
    return data


GAP = 24


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        data = data_with_photo(root, Path(tmp))
        for n, (options, page) in enumerate(PAGES):
            images.append(picture(Path(tmp) / f"book-{n}.pdf", options, page, data, 50))
        options, side = BOOKLET
        book = Path(tmp) / "booklet-book.pdf"
        sheet = picture(book, options, side, data, 40, book.with_name("booklet-book-booklet.pdf"))
    save(images, root / "docs" / "pages.png")
    save([sheet], root / "docs" / "booklet.png")


def picture(pdf: Path, options, page: int, data: Path, dpi: int, shown: Path | None = None):
    """Page `page` of what `briefbook build OPTIONS` writes to `pdf` (or of `shown`, a file
    written beside it), as a picture at `dpi`."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefbook",
            "build",
            *options,
            "--date",
            "2026-11-26",
            "--data",
            str(data),
            "--output",
            str(pdf),
        ],
        check=True,
    )
    stem = pdf.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(shown or pdf),
            str(stem),
        ],
        check=True,
    )
    return Image.open(f"{stem}.png").convert("RGB")


def save(images, path: Path) -> None:
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    height = max(i.height for i in images) + 2 * GAP
    sheet = Image.new("RGB", (width, height), "#d9dde4")
    x = GAP
    for image in images:
        sheet.paste(image, (x, GAP))
        x += image.width + GAP
    sheet.save(path, optimize=True)


if __name__ == "__main__":
    main()
