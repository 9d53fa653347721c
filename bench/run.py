"""Turn synthetic data folders of several sizes into timed briefbook runs: a table and JSON.

    python bench/run.py [--sizes 16,100,1000,3000] [--runs 3] [--json out.json]
                        [--briefbook CMD] [--photos [--photo-size 4000x3000]]
                        [--vs-typst DIR]

Each size gets one data folder (bench/synth.py) and `--runs` builds, each in its own
process, measured with os.wait4: wall time, CPU time (user + system) and the child's own
peak resident memory. `briefbook --help`, `briefbook list` (16 mayors), the seed book in
data/ and `build --each theme` on the 16 mayors (one PDF per theme, in a fresh folder for
every run; pages and PDF size are the sums over the editions) are timed the same way. With
--photos, the seed book with a photo for every mayor and the cover (bench/photos.py) is
built with --quality email and print, each first with an empty picture cache and then again
with the cache the first build filled.

With --vs-typst DIR (a copy of the Typst yardstick: DIR/typst_book.py, run with
DIR/.venv/bin/python), every build of the sizes and of --each theme is followed by the
Typst build of the same data, in alternation; for --each theme, Typst builds one folder a
theme (the mayors who work on it) one after another, as one measurement: wall and CPU time
summed, peak memory the largest. Each such row gains "typst" (its runs and medians) and
"ratio" (briefbook's median over Typst's: wall time, peak memory, PDF size). The seed book
in data/ has keys the yardstick refuses, so it is built by briefbook alone.

The table shows medians; the JSON holds every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from synth import write_folder

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data"
BUILT = re.compile(r": (\d+) pages, (\d+) mayors?, ")
# A line of the table `build --each` closes with: file, pages, mayors, size.
EDITION = re.compile(r"^(\S.*?\.pdf)\s+(\d+)\s+(\d+)\s+\S", re.MULTILINE)
COLUMNS = ("wall_s", "cpu_s", "peak_mib", "pages", "pages_per_s", "pdf_mb")
TYPST_COLUMNS = ("wall_s", "cpu_s", "peak_mib", "pdf_mb")
RATIOS = ("wall_s", "peak_mib", "pdf_mb")


def spawn(cmd: list[str], cache: Path | None = None, cwd: Path | None = None) -> tuple[dict, str]:
    """Run `cmd` once: its wall time, CPU time, peak memory and exit status ('error' with its
    stderr when it fails), and its stdout. With `cache`, the command runs with XDG_CACHE_HOME
    set to it (briefbook keeps pictures there); with `cwd`, in that folder."""
    env = None if cache is None else {**os.environ, "XDG_CACHE_HOME": str(cache)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd
        )
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
    return run, stdout


def measure(cmd: list[str], pdf: Path | None = None, cache: Path | None = None) -> dict:
    """Run `cmd` once; its figures, or 'error' with its stderr when it fails. With `pdf`, the
    book it builds: its pages (from the output) and size. With `cache`, the command runs with
    XDG_CACHE_HOME set to it (briefbook keeps pictures there)."""
    run, stdout = spawn(cmd, cache)
    if "error" in run or pdf is None:
        return run
    found = BUILT.search(stdout)
    if found is None:
        run["error"] = f"no 'N pages, M mayors' line in the output:\n{stdout}"
        return run
    run["pages"] = int(found[1])
    run["pages_per_s"] = run["pages"] / run["wall_s"]
    run["pdf_bytes"] = pdf.stat().st_size
    run["pdf_mb"] = run["pdf_bytes"] / 1_000_000
    return run


def measure_each(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`, a `build --each` that writes into out/, once in `cwd` (made here, so it
    must not exist): its figures, each edition its closing table lists (file, pages, mayors,
    bytes), pages and PDF size the sums over them; 'error' when that table does not list
    exactly the PDFs written in out/."""
    cwd.mkdir(parents=True)
    run, stdout = spawn(cmd, cwd=cwd)
    if "error" in run:
        return run
    listed = EDITION.findall(stdout)
    written = sorted((cwd / "out").glob("*.pdf"))
    if not listed or sorted((cwd / f).resolve() for f, _, _ in listed) != [
        p.resolve() for p in written
    ]:
        names = [p.relative_to(cwd).as_posix() for p in written]
        run["error"] = f"the closing table does not list the PDFs in out/ ({names}):\n{stdout}"
        return run
    run["editions"] = [
        {"file": f, "pages": int(n), "mayors": int(m), "pdf_bytes": (cwd / f).stat().st_size}
        for f, n, m in listed
    ]
    run["pages"] = sum(e["pages"] for e in run["editions"])
    run["pages_per_s"] = run["pages"] / run["wall_s"]
    run["pdf_bytes"] = sum(e["pdf_bytes"] for e in run["editions"])
    run["pdf_mb"] = run["pdf_bytes"] / 1_000_000
    return run


def measure_typst(typst: list[str], jobs: list[tuple[Path, Path]]) -> dict:
    """Run the Typst builder (`typst`, the command to which DATA OUT.pdf are added) on each
    (data folder, PDF) of `jobs` in turn, each in its own process, as one measurement: wall
    and CPU time summed, peak memory the largest, PDF size the total; with more than one job,
    each process's own figures too, under 'steps'. Stops at the first failure."""
    steps = []
    for data, pdf in jobs:
        pdf.unlink(missing_ok=True)  # a PDF of an earlier run must not count for this one
        run, _ = spawn([*typst, str(data), str(pdf)])
        if "error" not in run and not pdf.is_file():
            run["error"] = f"exit 0 but no {pdf}"
        if "error" in run:
            run["data"] = str(data)
            return run
        run["pdf_bytes"] = pdf.stat().st_size
        steps.append(run)
    total = {
        "wall_s": sum(r["wall_s"] for r in steps),
        "cpu_s": sum(r["cpu_s"] for r in steps),
        "peak_mib": max(r["peak_mib"] for r in steps),
        "exit": 0,
        "pdf_bytes": sum(r["pdf_bytes"] for r in steps),
    }
    total["pdf_mb"] = total["pdf_bytes"] / 1_000_000
    if len(steps) > 1:
        total["steps"] = steps
    return total


def medians(runs: list[dict], columns: tuple[str, ...]) -> dict:
    """The median of each of `columns` over the `runs` that have it, and of pdf_bytes."""
    median = {}
    for name in (*columns, "pdf_bytes"):
        values = [r[name] for r in runs if name in r]
        if values:
            median[name] = statistics.median(values)
    return median


def bench_row(
    label: str,
    kind: str,
    mayors: int | None,
    cmd: list[str],
    runs: int,
    pdf: Path | None = None,
    cache: Callable[[int], Path] | None = None,
    each_dir: Callable[[int], Path] | None = None,
    typst: list[str] | None = None,
    jobs: list[tuple[Path, Path]] = (),
) -> dict:
    """`runs` measurements of `cmd` and their medians; stops at the first failure. `cache`
    gives each run (0, 1, ...) its XDG_CACHE_HOME; without it the runs inherit this one's.
    With `each_dir`, `cmd` is a `build --each`, and run i is made in the new folder
    each_dir(i). With `typst` and `jobs`, each run is followed by one measurement of the
    Typst builder on `jobs` (measure_typst), under 'typst', and the row gets 'ratio':
    briefbook's medians over Typst's; a Typst failure ends the Typst runs only."""
    row: dict = {
        "label": label,
        "kind": kind,
        "mayors": mayors,
        "command": cmd,
        "runs": [],
        "median": {},
    }
    peer = None
    if typst is not None and jobs:
        commands = [[*typst, str(data), str(out)] for data, out in jobs]
        peer = row["typst"] = {"commands": commands, "runs": [], "median": {}}
    for i in range(runs):
        if each_dir is not None:
            run = measure_each(cmd, each_dir(i))
        else:
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
        if peer is None or "error" in peer:
            continue
        other = measure_typst(typst, jobs)
        peer["runs"].append(other)
        if "error" in other:
            peer["error"] = other["error"]
            print(
                f"{label}, Typst: FAILED (exit {other['exit']}) on {other['data']}:\n"
                f"{other['error']}",
                file=sys.stderr,
            )
            continue
        print(f"{label} Typst run {i + 1}/{runs}: {other['wall_s']:.2f} s", file=sys.stderr)
    row["median"] = medians(row["runs"], COLUMNS)
    if peer is not None and "error" not in peer:
        peer["median"] = medians(peer["runs"], TYPST_COLUMNS)
        row["ratio"] = {
            name: row["median"][name] / peer["median"][name]
            for name in RATIOS
            if name in row["median"] and peer["median"].get(name)
        }
    return row


def build_cmd(briefbook: list[str], data: Path, pdf: Path) -> list[str]:
    return [*briefbook, "build", "--data", str(data), "--output", str(pdf), "--date", "2026-01-01"]


def each_cmd(briefbook: list[str], data: Path, each: str) -> list[str]:
    return [*briefbook, "build", "--data", str(data), "--each", each, "--date", "2026-01-01"]


def theme_folders(data: Path, into: Path) -> list[tuple[str, Path, int]]:
    """For every theme at least one mayor of `data` works on, in themes.yaml's order: its
    id, a new folder under `into` holding data's book.yaml and themes.yaml and only the
    mayor files whose `themes` list names it (all the Typst yardstick reads), and how many
    mayors those are. The data of the editions `build --each theme` makes."""
    themes = yaml.safe_load((data / "themes.yaml").read_text(encoding="utf-8"))
    works_on = {
        path: yaml.safe_load(path.read_text(encoding="utf-8")).get("themes") or []
        for path in sorted((data / "mayors").glob("*.yaml"))
    }
    folders = []
    for theme in themes:
        chosen = [path for path, ids in works_on.items() if theme in ids]
        if not chosen:
            continue
        folder = into / theme
        (folder / "mayors").mkdir(parents=True)
        for name in ("book.yaml", "themes.yaml"):
            shutil.copy2(data / name, folder / name)
        for path in chosen:
            shutil.copy2(path, folder / "mayors" / path.name)
        folders.append((theme, folder, len(chosen)))
    return folders


def each_theme_row(
    runs: int, briefbook: list[str], work: Path, data: Path, typst: list[str] | None
) -> dict:
    """`build --each theme` on `data`, each run in a new folder under `work`; with `typst`,
    in alternation with the Typst builder on one folder a theme (theme_folders), made here
    before any timing. Warns when briefbook's editions do not hold as many mayors as those
    folders."""
    jobs = []
    counts = []
    if typst is not None:
        out = work / "typst-each"
        out.mkdir()
        for theme, folder, count in theme_folders(data, work / "themes"):
            jobs.append((folder, out / f"{theme}.pdf"))
            counts.append(count)
    cmd = each_cmd(briefbook, data, "theme")
    row = bench_row(
        "each theme 16",
        "each",
        16,
        cmd,
        runs,
        each_dir=lambda i: work / f"each-{i}",
        typst=typst,
        jobs=jobs,
    )
    if typst is not None and "error" not in row:
        built = [e["mayors"] for e in row["runs"][0]["editions"]]
        if built != counts:
            warning = f"briefbook's editions hold {built} mayors, the Typst folders {counts}"
            row["typst"]["warning"] = warning
            print(f"each theme 16: warning: {warning}", file=sys.stderr)
    return row


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
    typst: list[str] | None = None,
) -> list[dict]:
    """Every row of the benchmark, folders written under `work`; with `photos`, the photo
    rows too, with photos of that size; with `typst` (the yardstick's command, to which
    DATA OUT.pdf are added), each build of the sizes and --each theme against it."""
    small = work / "16"
    write_folder(16, small)
    rows = [
        bench_row("--help", "help", None, [*briefbook, "--help"], runs),
        bench_row("list 16", "list", 16, [*briefbook, "list", "--data", str(small)], runs),
    ]
    if (SEED / "book.yaml").is_file():
        pdf = work / "seed.pdf"
        rows.append(bench_row("seed book", "seed", 16, build_cmd(briefbook, SEED, pdf), runs, pdf))
    rows.append(each_theme_row(runs, briefbook, work, small, typst))
    if photos is not None:
        rows += photo_rows(runs, briefbook, work, photos)
    for size in sizes:
        data = work / str(size)
        if size != 16:
            write_folder(size, data)
        pdf = work / f"{size}.pdf"
        cmd = build_cmd(briefbook, data, pdf)
        jobs = [(data, work / f"{size}-typst.pdf")]
        row = bench_row(f"build {size}", "build", size, cmd, runs, pdf, typst=typst, jobs=jobs)
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    """Medians as aligned text, one line a row; when a row was measured against Typst, the
    Typst medians (wall s, peak MiB, PDF MB) and briefbook's over Typst's too."""
    header = ("row", "wall s", "cpu s", "peak MiB", "pages", "pages/s", "PDF MB")
    formats = ("{:.3f}", "{:.3f}", "{:.1f}", "{:.0f}", "{:.1f}", "{:.2f}")
    vs = any("typst" in row for row in rows)
    if vs:
        header += ("Typst s", "Typst MiB", "Typst MB", "wall x", "peak x", "PDF x")
    lines = [header]
    for row in rows:
        med = row["median"]
        cells = [
            f.format(med[c]) if c in med else "-" for c, f in zip(COLUMNS, formats, strict=True)
        ]
        if "error" in row:
            cells[0] = "FAILED"
        if vs:
            peer = row.get("typst", {})
            other = peer.get("median", {})
            ratio = row.get("ratio", {})
            typst_cells = [
                f.format(other[c]) if c in other else "-"
                for c, f in (("wall_s", "{:.3f}"), ("peak_mib", "{:.1f}"), ("pdf_mb", "{:.2f}"))
            ]
            if "error" in peer:
                typst_cells[0] = "FAILED"
            ratio_cells = [f"{ratio[c]:.2f}" if c in ratio else "-" for c in RATIOS]
            cells += typst_cells + ratio_cells
        lines.append((row["label"], *cells))
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


def typst_cmd(yardstick: Path) -> list[str]:
    """The command that runs the Typst yardstick in the folder `yardstick`, DATA OUT.pdf to
    be added: its .venv's Python, or this one (saying so) when it has none."""
    script = yardstick / "typst_book.py"
    if not script.is_file():
        raise FileNotFoundError(f"no {script}")
    python = yardstick / ".venv" / "bin" / "python"
    if not python.is_file():
        print(f"--vs-typst: no {python}; the yardstick runs with {sys.executable}", file=sys.stderr)
        python = Path(sys.executable)
    return [str(python), str(script)]


def typst_version(typst: list[str]) -> dict:
    """The Python and the typst binding the yardstick command `typst` runs with."""
    ask = (
        "import importlib.metadata as m, platform; "
        "print(platform.python_version(), m.version('typst'))"
    )
    said = subprocess.run([typst[0], "-c", ask], capture_output=True, text=True)
    python, _, binding = said.stdout.strip().partition(" ")
    return {"python": python or None, "typst": binding or None}


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
    parser.add_argument(
        "--vs-typst",
        type=Path,
        metavar="DIR",
        help="also time the Typst yardstick in DIR (DIR/typst_book.py, run with "
        "DIR/.venv/bin/python) on the same data, in alternation with briefbook",
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
    typst = None
    if args.vs_typst is not None:
        try:
            typst = typst_cmd(args.vs_typst.absolute())
        except FileNotFoundError as missing:
            parser.error(f"--vs-typst: {missing}")
    info = machine(briefbook) if args.json else None
    with tempfile.TemporaryDirectory(prefix="briefbook-bench-") as work:
        rows = run_all(sizes, args.runs, briefbook, Path(work), photos, typst)
    print(table(rows))
    if args.json:
        result = {
            "machine": info,
            "command": briefbook,
            "sizes": sizes,
            "runs": args.runs,
            "photo_size": list(photos) if photos else None,
            "typst": None if typst is None else {"command": typst, **typst_version(typst)},
            "rows": rows,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    failed = any("error" in row or "error" in row.get("typst", {}) for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
