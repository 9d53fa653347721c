"""Turn synthetic data folders of several sizes into timed briefbook runs: a table and JSON.

    python bench/run.py [--sizes 16,100,1000,3000] [--runs 3] [--json out.json]
                        [--briefbook CMD] [--photos [--photo-size 4000x3000]]

Each size gets one data folder (bench/synth.py) and `--runs` builds, each in its own
process, measured with os.wait4: wall time, CPU time (user + system) and the child's own
peak resident memory. `briefbook --help`, `briefbook list` (16 mayors) and the seed book in
data/ are timed the same way. With --photos, the seed book with a photo for every mayor and
the cover (bench/photos.py) is built with --quality email and print, each first with an
empty picture cache and then again with the cache the first build filled. The table shows
medians; the JSON holds every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synth import write_folder

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data"
BUILT = re.compile(r": (\d+) pages, (\d+) mayors?, ")
COLUMNS = ("wall_s", "cpu_s", "peak_mib", "pages", "pages_per_s", "pdf_mb")


def measure(cmd: list[str], pdf: Path | None = None, cache: Path | None = None) -> dict:
    """Run `cmd` once; its figures, or 'error' with its stderr when it fails. With `cache`,
    the command runs with XDG_CACHE_HOME set to it (briefbook keeps pictures there)."""
    env = None if cache is None else {**os.environ, "XDG_CACHE_HOME": str(cache)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    run = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": peak,
        "exit": child.returncode,
    }
    if child.returncode != 0:
        run["error"] = stderr or stdout
        return run
    if pdf is not None:
        found = BUILT.search(stdout)
        if found is None:
            run["error"] = f"no 'N pages, M mayors' line in the output:\n{stdout}"
            return run
        run["pages"] = int(found[1])
        run["pages_per_s"] = run["pages"] / wall
        run["pdf_bytes"] = pdf.stat().st_size
        run["pdf_mb"] = run["pdf_bytes"] / 1_000_000
    return run


def bench_row(
    label: str,
    kind: str,
    mayors: int | None,
    cmd: list[str],
    runs: int,
    pdf: Path | None = None,
    cache: Callable[[int], Path] | None = None,
) -> dict:
    """`runs` measurements of `cmd` and their medians; stops at the first failure. `cache`
    gives each run (0, 1, ...) its XDG_CACHE_HOME; without it the runs inherit this one's."""
    row: dict = {
        "label": label,
        "kind": kind,
        "mayors": mayors,
        "command": cmd,
        "runs": [],
        "median": {},
    }
    for i in range(runs):
        run = measure(cmd, pdf, None if cache is None else cache(i))
        row["runs"].append(run)
        if "error" in run:
            row["error"] = run["error"]
            print(
                f"{label}: FAILED (exit {run['exit']}): {shlex.join(cmd)}\n{run['error']}",
                file=sys.stderr,
            )
            return row
        print(f"{label} run {i + 1}/{runs}: {run['wall_s']:.2f} s", file=sys.stderr)
    for name in COLUMNS:
        values = [r[name] for r in row["runs"] if name in r]
        if values:
            row["median"][name] = statistics.median(values)
    if pdf is not None:
        row["median"]["pdf_bytes"] = statistics.median(r["pdf_bytes"] for r in row["runs"])
    return row


def build_cmd(briefbook: list[str], data: Path, pdf: Path) -> list[str]:
    return [*briefbook, "build", "--data", str(data), "--output", str(pdf), "--date", "2026-01-01"]


def photo_rows(runs: int, briefbook: list[str], work: Path, size: tuple[int, int]) -> list[dict]:
    """The seed book with photos of `size`, at each --quality: first with an empty picture
    cache (a new one for every run), then again with the cache the first run filled."""
    # Made in a process of its own: a child's peak memory counts what its parent held.
    maker = [sys.executable, str(Path(__file__).with_name("photos.py")), "--cached"]
    made = subprocess.run(
        [*maker, "--size", f"{size[0]}x{size[1]}"], capture_output=True, text=True
    )
    if made.returncode != 0:
        raise SystemExit(f"bench/photos.py failed:\n{made.stderr}")
    data = Path(made.stdout.strip())
    rows = []
    for quality in ("email", "print"):
        pdf = work / f"photos-{quality}.pdf"
        cmd = [*build_cmd(briefbook, data, pdf), "--quality", quality]
        for when, state, cache_of_run in (
            ("first", "empty", lambda i, q=quality: work / f"cache-{q}-{i}"),
            ("again", "warm", lambda i, q=quality: work / f"cache-{q}-0"),
        ):
            label = f"photos {quality}, {when}"
            row = bench_row(label, "photos", 16, cmd, runs, pdf, cache_of_run)
            rows.append({**row, "quality": quality, "cache": state})
    return rows


def run_all(
    sizes: list[int],
    runs: int,
    briefbook: list[str],
    work: Path,
    photos: tuple[int, int] | None = None,
) -> list[dict]:
    """Every row of the benchmark, folders written under `work`; with `photos`, the photo
    rows too, with photos of that size."""
    small = work / "16"
    write_folder(16, small)
    rows = [
        bench_row("--help", "help", None, [*briefbook, "--help"], runs),
        bench_row("list 16", "list", 16, [*briefbook, "list", "--data", str(small)], runs),
    ]
    if (SEED / "book.yaml").is_file():
        pdf = work / "seed.pdf"
        rows.append(bench_row("seed book", "seed", 16, build_cmd(briefbook, SEED, pdf), runs, pdf))
    if photos is not None:
        rows += photo_rows(runs, briefbook, work, photos)
    for size in sizes:
        data = work / str(size)
        if size != 16:
            write_folder(size, data)
        pdf = work / f"{size}.pdf"
        cmd = build_cmd(briefbook, data, pdf)
        rows.append(bench_row(f"build {size}", "build", size, cmd, runs, pdf))
    return rows


def table(rows: list[dict]) -> str:
    """Medians as aligned text, one line a row."""
    header = ("row", "wall s", "cpu s", "peak MiB", "pages", "pages/s", "PDF MB")
    formats = ("{:.3f}", "{:.3f}", "{:.1f}", "{:.0f}", "{:.1f}", "{:.2f}")
    lines = [header]
    for row in rows:
        med = row["median"]
        cells = [
            f.format(med[c]) if c in med else "-" for c, f in zip(COLUMNS, formats, strict=True)
        ]
        lines.append((row["label"], *(["FAILED", *cells[1:]] if "error" in row else cells)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def machine(briefbook: list[str]) -> dict:
    """What the numbers were measured on."""
    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": None,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        # Without .pyc files each run compiles briefbook again: slower starts.
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    version = subprocess.run([*briefbook, "--version"], capture_output=True, text=True)
    info["briefbook"] = version.stdout.strip()
    try:  # which state of the code was measured
        git = ["git", "-C", str(ROOT), "describe", "--always", "--dirty"]
        info["git"] = subprocess.run(git, capture_output=True, text=True).stdout.strip() or None
    except OSError:
        info["git"] = None
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="16,100,1000,3000",
        help="mayor counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="builds per size (default: 3)")
    parser.add_argument("--json", type=Path, help="also write every run to this JSON file")
    parser.add_argument(
        "--briefbook",
        default=f"{shlex.quote(sys.executable)} -m briefbook",
        help="command that runs briefbook (default: this Python's -m briefbook)",
    )
    parser.add_argument(
        "--photos",
        action="store_true",
        help="also build the seed book with a photo for every mayor and the cover",
    )
    parser.add_argument(
        "--photo-size",
        default="4000x3000",
        help="pixels of those photos, WIDTHxHEIGHT (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs: expected at least 1")
    width, sep, height = args.photo_size.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and int(width) and int(height)):
        parser.error(
            f"--photo-size: expected WIDTHxHEIGHT, such as 4000x3000; found {args.photo_size}"
        )
    photos = (int(width), int(height)) if args.photos else None
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    briefbook = shlex.split(args.briefbook)
    info = machine(briefbook) if args.json else None
    with tempfile.TemporaryDirectory(prefix="briefbook-bench-") as work:
        rows = run_all(sizes, args.runs, briefbook, Path(work), photos)
    print(table(rows))
    if args.json:
        result = {
            "machine": info,
            "command": briefbook,
            "sizes": sizes,
            "runs": args.runs,
            "photo_size": list(photos) if photos else None,
            "rows": rows,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if any("error" in row for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
