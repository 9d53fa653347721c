"""Turn real pages of the shipped layouts into docs/pages.png, the README's picture: the
reentry book's cover and first mayor, its read-ahead, and a leave-behind.

Needs pdftoppm (Debian package poppler-utils). Run from the top of the repository:
    .venv/bin/python docs/pages.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

# (build options, page) of each picture, left to right.
PAGES = (
    (("--theme", "reentry"), 1),
    (("--theme", "reentry"), 5),
    (("--theme", "reentry", "--layout", "read-ahead"), 1),
    (("--mayor", "walsh", "--layout", "one-pager"), 1),
)
GAP = 24


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (options, page) in enumerate(PAGES):
            pdf = Path(tmp) / f"book-{n}.pdf"
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
                    str(root / "data"),
                    "--output",
                    str(pdf),
                ],
                check=True,
            )
            stem = Path(tmp) / f"page-{n}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "50",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            images.append(Image.open(f"{stem}.png").convert("RGB"))
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    height = max(i.height for i in images) + 2 * GAP
    sheet = Image.new("RGB", (width, height), "#d9dde4")
    x = GAP
    for image in images:
        sheet.paste(image, (x, GAP))
        x += image.width + GAP
    sheet.save(root / "docs" / "pages.png", optimize=True)


if __name__ == "__main__":
    main()
