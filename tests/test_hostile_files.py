"""Data folders that arrive by email or git: nothing outside the folder is ever read, nothing
that is not a regular file is ever opened for reading, and nothing is read past its limit.

Each test asserts the exact problem line `briefbook validate` and `build` print, that the
refusal is immediate (a FIFO or /dev/zero would otherwise hang the run or fill the memory),
and that a refused file's contents never appear in the output."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from conftest import append, files_under, refused, run, write_png

SECRET = "name: The Secret Contents Of An Outside File\n"

# Each refusal here is refused() of conftest, and prints nothing of the outside file.
refused_unread = partial(refused, hidden="Secret")


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail, rather than wait for ever, if anything blocks on a FIFO or reads without end."""

    def hung(signum, frame):
        raise AssertionError("the run did not finish in 20 seconds")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def outside_file(data: Path) -> Path:
    path = data.parent / "outside.yaml"
    path.write_text(SECRET, "utf-8")
    return path


OUTSIDE = "it leads outside data (through a symlink or '..'); expected a file inside it"


# --- YAML files --------------------------------------------------------------------------------


def test_a_mayor_file_that_is_a_symlink_outside_is_refused_unread(data: Path) -> None:
    (data / "mayors" / "evil.yaml").symlink_to(outside_file(data))
    refused_unread([f"data/mayors/evil.yaml: {OUTSIDE}"])


@pytest.mark.parametrize("name", ["book.yaml", "themes.yaml"])
def test_book_or_themes_as_a_symlink_outside_is_refused(data: Path, name: str) -> None:
    moved = data.parent / f"moved-{name}"
    (data / name).rename(moved)
    (data / name).symlink_to(moved)
    refused_unread([f"data/{name}: {OUTSIDE}"])


def test_a_symlink_to_a_file_inside_the_folder_is_read(data: Path) -> None:
    (data / "shared").mkdir()
    (data / "book.yaml").rename(data / "shared" / "book.yaml")
    (data / "book.yaml").symlink_to(Path("shared") / "book.yaml")
    result = run("validate", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_symlink_to_dev_zero_is_refused_at_once(data: Path) -> None:
    (data / "mayors" / "zero.yaml").symlink_to("/dev/zero")
    refused_unread(
        [
            "data/mayors/zero.yaml: it leads outside data (through a symlink or '..'); "
            "expected a file inside it"
        ]
    )


def test_a_fifo_named_like_a_mayor_file_is_refused_at_once(data: Path) -> None:
    os.mkfifo(data / "mayors" / "x.yaml")
    refused_unread(["data/mayors/x.yaml: it is a named pipe (FIFO), not a regular file"])


def test_a_fifo_as_book_yaml_is_refused_at_once(data: Path) -> None:
    (data / "book.yaml").unlink()
    os.mkfifo(data / "book.yaml")
    refused_unread(["data/book.yaml: it is a named pipe (FIFO), not a regular file"])


def test_a_symlink_to_a_fifo_inside_the_folder_is_refused(data: Path) -> None:
    os.mkfifo(data / "pipe")
    (data / "mayors" / "x.yaml").symlink_to(data / "pipe")
    refused_unread(["data/mayors/x.yaml: it is a named pipe (FIFO), not a regular file"])


def test_a_folder_named_like_a_mayor_file_is_refused(data: Path) -> None:
    (data / "mayors" / "x.yaml").mkdir()
    refused_unread(["data/mayors/x.yaml: it is a folder, not a regular file"])


def test_a_broken_symlink_says_what_it_points_to(data: Path) -> None:
    (data / "mayors" / "gone.yaml").symlink_to("moved-away.yaml")
    refused_unread(
        [
            "data/mayors/gone.yaml: it is a symlink to 'moved-away.yaml', which does not "
            "exist; expected a file, or a symlink to one"
        ]
    )


def test_a_symlink_loop_is_refused(data: Path) -> None:
    (data / "mayors" / "loop.yaml").symlink_to("loop.yaml")
    refused_unread(
        [
            "data/mayors/loop.yaml: cannot follow the path (a symlink that leads back to "
            "itself); expected a file"
        ]
    )


def test_a_mayors_folder_that_is_a_symlink_outside_is_refused(data: Path) -> None:
    elsewhere = data.parent / "elsewhere"
    (data / "mayors").rename(elsewhere)
    (elsewhere / "secret.yaml").write_text(SECRET, "utf-8")
    (data / "mayors").symlink_to(elsewhere)
    refused_unread(
        [
            "data/mayors: it leads outside data (through a symlink or '..'); expected a "
            "folder inside it"
        ]
    )


def test_a_mayors_folder_that_is_a_symlink_inside_is_read(data: Path) -> None:
    (data / "mayors").rename(data / "people")
    (data / "mayors").symlink_to("people")
    result = run("validate", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stdout == "data: 3 mayors, 3 themes; no problems found\n"


def test_a_mayors_entry_that_is_a_file_is_refused(data: Path) -> None:
    for path in (data / "mayors").iterdir():
        path.unlink()
    (data / "mayors").rmdir()
    (data / "mayors").write_text("bowser\n", "utf-8")
    refused_unread(["data/mayors: it is a file; expected a folder of mayor files"])


def test_the_data_folder_itself_may_be_a_symlink(data: Path) -> None:
    Path("linked").symlink_to(data)
    result = run("validate", "--data", "linked")
    assert result.exit_code == 0, result.output


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Opening `denied` fails as it does for a file without read permission (the tests may
    run as root, whom permissions do not stop)."""
    import briefbook.files

    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if Path(path) == denied.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(briefbook.files.os, "open", guarded)


def test_a_file_without_read_permission(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, data / "mayors" / "tubbs.yaml")
    refused_unread(
        ["data/mayors/tubbs.yaml: cannot read it (Permission denied); expected a file you may read"]
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root")
def test_a_file_without_read_permission_for_real(data: Path) -> None:
    path = data / "mayors" / "tubbs.yaml"
    path.chmod(0)
    try:
        refused_unread(
            [
                "data/mayors/tubbs.yaml: cannot read it (Permission denied); expected a file "
                "you may read"
            ]
        )
    finally:
        path.chmod(0o644)


def test_a_mayors_folder_that_cannot_be_listed(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefbook.load

    real_scandir = os.scandir

    def guarded(path="."):
        if Path(path) == (data / "mayors").resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(briefbook.load.os, "scandir", guarded)
    refused_unread(["data/mayors: cannot list it (Permission denied)"])


# --- pictures ----------------------------------------------------------------------------------


def test_a_photo_that_is_a_symlink_to_dev_zero(data: Path) -> None:
    (data / "images").mkdir()
    (data / "images" / "zero.png").symlink_to("/dev/zero")
    append(data, "mayors/bowser.yaml", "photo: images/zero.png\n")
    refused_unread(
        [
            "data/mayors/bowser.yaml:8: photo: 'images/zero.png' points outside the data "
            "folder; expected a path inside data"
        ]
    )


def test_a_photo_that_is_a_fifo(data: Path) -> None:
    (data / "images").mkdir()
    os.mkfifo(data / "images" / "pipe.png")
    append(data, "mayors/bowser.yaml", "photo: images/pipe.png\n")
    refused_unread(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images/pipe.png' cannot be used: it is a "
            "named pipe (FIFO), not a regular file"
        ]
    )


def test_a_cover_image_that_is_a_broken_symlink(data: Path) -> None:
    (data / "images").mkdir()
    (data / "images" / "cover.png").symlink_to("old-cover.png")
    append(data, "book.yaml", "cover:\n  image: images/cover.png\n")
    refused_unread(
        [
            "data/book.yaml:11: cover.image: image 'images/cover.png' cannot be used: it is a "
            "symlink to 'old-cover.png', which does not exist; expected a file, or a symlink "
            "to one"
        ]
    )


def test_a_photo_over_the_byte_limit_is_refused_unread(data: Path) -> None:
    path = write_png(data / "images" / "huge.png")
    with path.open("r+b") as f:
        f.truncate(50_000_001)  # sparse: nothing of it is ever written
    append(data, "mayors/bowser.yaml", "photo: images/huge.png\n")
    refused_unread(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images/huge.png' cannot be used: file is "
            "50,000,001 bytes; expected at most 50,000,000 bytes"
        ]
    )


def test_a_photo_symlinked_inside_the_folder_is_used(data: Path) -> None:
    write_png(data / "images" / "real.png", 30, 40)
    (data / "images" / "bowser.png").symlink_to("real.png")
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    result = run("build", "--data", "data", "--output", "out/x.pdf")
    assert result.exit_code == 0, result.output
    assert files_under(Path("out")) == [Path("out/x.pdf")]


def test_an_images_folder_that_is_a_symlink_outside(data: Path) -> None:
    elsewhere = data.parent / "pictures"
    write_png(elsewhere / "bowser.png")
    (data / "images").symlink_to(elsewhere)
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    refused_unread(
        [
            "data/mayors/bowser.yaml:8: photo: 'images/bowser.png' points outside the data "
            "folder; expected a path inside data"
        ]
    )
