"""Turn the seed book in data/ into a photo folder: the same book with a camera-sized photo
for every mayor and for the cover, the book of issue 10's targets.

    python bench/photos.py DIR [--size 4000x3000]
    python bench/photos.py --cached [--size 4000x3000]

The first copies data/ to DIR and writes DIR/images/<id>.jpg for each mayor (appending
`photo: images/<id>.jpg` to the mayor's file) and DIR/images/cover.jpg (adding a `cover:`
with that image and a credit to book.yaml). Stale files in DIR are removed first.

The photos are made, not downloaded: smooth colour, a gradient, a head-and-shoulders figure
and film grain, so that they compress as a photo does (4 to 5 MB at JPEG quality 92 for
4000 × 3000 pixels). Every third portrait is stored sideways with EXIF orientation 6, as
phones store a photo taken upright. Everything comes from random.Random(seed), so the same
size gives byte-identical files with the same Pillow.

Making a 4000 × 3000 photo takes about a second; photo_folder() keeps the finished folder in
a cache (`$XDG_CACHE_HOME/briefbook-bench`, else `~/.cache/briefbook-bench`), named by
VERSION, the size and the seed data's contents, so reruns are cheap; `--cached` prints
that folder's path, making it first if needed. bench/run.py makes it in a process of its
own: a process's peak memory counts what the process it was started from held, so making
12-megapixel pictures in the harness would add to every later row's peak.

Standard library and Pillow (which briefbook depends on).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data"
SIZE = (4000, 3000)
VERSION = 1  # of what write_photo_folder makes; another number makes a new cached folder
QUALITY = 92  # a phone's JPEG quality
ORIENTATION = 0x0112  # the EXIF tag
CREDIT = "Photo: generated for the benchmark"

SKIN = [(241, 194, 167), (224, 172, 138), (198, 134, 99), (161, 102, 69), (112, 72, 50)]
HAIR = [(35, 28, 24), (70, 50, 35), (120, 90, 60), (160, 160, 160), (20, 20, 22)]
CLOTHES = [(30, 40, 70), (50, 50, 55), (110, 30, 40), (20, 70, 60), (200, 200, 205)]


def photo(seed: int, size: tuple[int, int] = SIZE, portrait: bool = True) -> Image.Image:
    """An upright RGB picture of `size` pixels that compresses like a photo: a figure's head
    and shoulders when `portrait`, else a skyline."""
    rng = random.Random(seed)
    w, h = size
    scene = _background(rng, size)
    small = (max(1, w // 4), max(1, h // 4))
    layer = Image.new("RGB", small)
    mask = Image.new("L", small, 0)
    if portrait:
        _figure(rng, ImageDraw.Draw(layer), ImageDraw.Draw(mask), small)
    else:
        _skyline(rng, ImageDraw.Draw(layer), ImageDraw.Draw(mask), small)
    mask = mask.filter(ImageFilter.GaussianBlur(max(0.5, small[0] / 400)))
    scene = Image.composite(
        layer.resize(size, Image.Resampling.BICUBIC),
        scene,
        mask.resize(size, Image.Resampling.BICUBIC),
    )
    # light falls off towards the corners
    vignette = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    vignette = vignette.point(lambda v: 255 - v * 90 // 255)
    scene = ImageChops.multiply(scene, Image.merge("RGB", (vignette,) * 3))
    return _grain(rng, scene)


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A gradient between two colours under smooth blotches of colour."""
    top = Image.new("RGB", size, tuple(rng.randrange(60, 230) for _ in range(3)))
    bottom = Image.new("RGB", size, tuple(rng.randrange(20, 160) for _ in range(3)))
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    scene = Image.composite(bottom, top, ramp)
    blotches = Image.merge("RGB", [_noise(rng, (8, 6)) for _ in range(3)])
    blotches = blotches.resize(size, Image.Resampling.BICUBIC)
    return Image.blend(scene, blotches, 0.3)


def _figure(rng: random.Random, layer, mask, size: tuple[int, int]) -> None:
    """Head and shoulders, a little above the middle, drawn on `layer` where `mask` is set."""
    w, h = size
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    cx = w * rng.uniform(0.45, 0.55)
    head_w = min(w, h) * rng.uniform(0.26, 0.32)
    head_h = head_w * 1.3
    cy = h * 0.42
    shoulders = (cx - head_w * 1.6, cy + head_h * 0.55, cx + head_w * 1.6, cy + head_h * 2.6)
    for draw, colour in ((layer, clothes), (mask, 255)):
        draw.ellipse(shoulders, fill=colour)
    neck = (cx - head_w * 0.22, cy, cx + head_w * 0.22, cy + head_h * 0.75)
    hair_box = (cx - head_w * 0.56, cy - head_h * 0.62, cx + head_w * 0.56, cy + head_h * 0.2)
    face = (cx - head_w / 2, cy - head_h / 2, cx + head_w / 2, cy + head_h / 2)
    for box, colour in ((neck, skin), (hair_box, hair), (face, skin)):
        layer.ellipse(box, fill=colour)
        mask.ellipse(box, fill=255)
    eye_y, eye_dx, eye = cy - head_h * 0.05, head_w * 0.2, head_w * 0.06
    for x in (cx - eye_dx, cx + eye_dx):
        layer.ellipse((x - eye, eye_y - eye * 0.6, x + eye, eye_y + eye * 0.6), fill=(40, 30, 30))
    darker = tuple(int(c * 0.7) for c in skin)
    mouth = (cx - head_w * 0.16, cy + head_h * 0.14, cx + head_w * 0.16, cy + head_h * 0.26)
    layer.arc(mouth, 20, 160, fill=darker, width=max(1, int(head_w * 0.03)))


def _skyline(rng: random.Random, layer, mask, size: tuple[int, int]) -> None:
    """A row of buildings with lit windows along the bottom half."""
    w, h = size
    x = 0.0
    while x < w:
        width = w * rng.uniform(0.04, 0.1)
        top = h * rng.uniform(0.25, 0.65)
        grey = rng.randrange(40, 110)
        box = (x, top, x + width, h)
        layer.rectangle(box, fill=(grey, grey, grey + 10))
        mask.rectangle(box, fill=255)
        step = max(2.0, width / 6)
        y = top + step
        while y < h - step:
            for wx in range(1, 5):
                if rng.random() < 0.5:
                    lx = x + wx * width / 5
                    window = (lx - step / 4, y, lx + step / 4, y + step / 2)
                    layer.rectangle(window, fill=(230, 200, 120))
            y += step
        x += width * rng.uniform(1.0, 1.3)


def _grain(rng: random.Random, scene: Image.Image) -> Image.Image:
    """`scene` with a sensor's texture: coarse and fine noise in the light, not the colour."""
    size = scene.size
    coarse = _noise(rng, (max(1, size[0] // 3), max(1, size[1] // 3)))
    coarse = coarse.resize(size, Image.Resampling.BICUBIC)
    detail = Image.blend(coarse, _noise(rng, size), 0.5).point(lambda v: 128 + (v - 128) // 5)
    return ImageChops.add(scene, Image.merge("RGB", (detail,) * 3), scale=1.0, offset=-128)


def save_photo(image: Image.Image, path: Path, sideways: bool) -> None:
    """Write `image` (upright) as a phone would: JPEG quality 92; when `sideways`, its
    pixels turned a quarter anticlockwise and EXIF orientation 6 saying how to turn them
    back."""
    exif = Image.Exif()
    if sideways:
        image = image.transpose(Image.Transpose.ROTATE_90)
        exif[ORIENTATION] = 6
    else:
        exif[ORIENTATION] = 1
    image.save(path, "JPEG", quality=QUALITY, exif=exif.tobytes())


def write_photo_folder(
    path: Path | str, size: tuple[int, int] = SIZE, seed_data: Path = SEED
) -> Path:
    """Write the seed book with photos of `size` (width × height as stored) into `path`;
    return `path`."""
    root = Path(path)
    for stale in ("book.yaml", "themes.yaml", "mayors", "images"):
        target = root / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(seed_data / "themes.yaml", root / "themes.yaml")
    shutil.copytree(seed_data / "mayors", root / "mayors")
    (root / "images").mkdir()
    book = (seed_data / "book.yaml").read_text("utf-8")
    if any(line.startswith("cover:") for line in book.splitlines()):
        raise ValueError(f"{seed_data / 'book.yaml'} already has a cover")
    book = book.rstrip("\n") + f'\ncover:\n  image: images/cover.jpg\n  credit: "{CREDIT}"\n'
    (root / "book.yaml").write_text(book, "utf-8")
    save_photo(photo(0, size, portrait=False), root / "images" / "cover.jpg", sideways=False)
    for i, mayor in enumerate(sorted((root / "mayors").glob("*.yaml")), start=1):
        text = mayor.read_text("utf-8")
        if any(line.startswith("photo:") for line in text.splitlines()):
            raise ValueError(f"{seed_data / 'mayors' / mayor.name} already has a photo")
        sideways = i % 3 == 0
        upright = size[::-1] if sideways else size
        save_photo(photo(i, upright), root / "images" / f"{mayor.stem}.jpg", sideways)
        mayor.write_text(text.rstrip("\n") + f"\nphoto: images/{mayor.stem}.jpg\n", "utf-8")
    return root


def cache_root(environ=os.environ) -> Path:
    xdg = environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "briefbook-bench"


def photo_folder(
    size: tuple[int, int] = SIZE, cache: Path | None = None, seed_data: Path = SEED
) -> Path:
    """The photo folder for `size`, made once and then taken from `cache` (cache_root())."""
    digest = hashlib.sha256(f"{VERSION} {size} {Image.__version__}".encode())
    for source in sorted(seed_data.rglob("*")):
        if source.is_file():
            digest.update(source.relative_to(seed_data).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
    cache = cache if cache is not None else cache_root()
    folder = cache / f"photos-{size[0]}x{size[1]}-{digest.hexdigest()[:12]}"
    if (folder / "book.yaml").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)  # a folder left half made by an older version
    cache.mkdir(parents=True, exist_ok=True)
    # Made beside it and renamed, so a folder that is there is whole.
    temp = Path(tempfile.mkdtemp(prefix=".photos-", dir=cache))
    try:
        write_photo_folder(temp, size, seed_data)
        os.replace(temp, folder)
    except OSError:
        if not (folder / "book.yaml").is_file():
            raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return folder


def parse_size(text: str) -> tuple[int, int]:
    """'4000x3000' as (4000, 3000)."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and int(width) and int(height)):
        raise ValueError(f"expected WIDTHxHEIGHT in pixels, such as 4000x3000; found {text!r}")
    return int(width), int(height)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("dir", nargs="?", type=Path, help="write the photo folder here")
    where.add_argument("--cached", action="store_true", help="print the cached photo folder's path")
    parser.add_argument(
        "--size", default="4000x3000", help="pixels of each photo (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        size = parse_size(args.size)
    except ValueError as err:
        parser.error(f"--size: {err}")
    if args.cached:
        print(photo_folder(size))
        return 0
    root = write_photo_folder(args.dir, size)
    images = sorted((root / "images").iterdir())
    total = sum(p.stat().st_size for p in images)
    print(f"{root}: {len(images)} photos of {size[0]}×{size[1]}, {total / 1_000_000:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
