"""Turn the reentry edition of the book into docs/pages.png, the README's picture of real pages.

Needs pdftoppm (Debian package poppler-utils). Run from the top of the repository:
    .venv/bin/python docs/pages.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

PAGES = (1, 2, 4, 6)  # cover, contents, at a glance, the first mayor
GAP = 24


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "book.pdf"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "briefbook",
                "build",
                "--theme",
                "reentry",
                "--date",
                "2026-11-26",
                "--data",
                str(root / "data"),
                "--output",
                str(pdf),
            ],
            check=True,
        )
        images = []
        for page in PAGES:
            stem = Path(tmp) / f"p{page}"
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
