"""This generator against plain Pelican on the same generated Markdown, in one run.

``invoke bench --n 1000`` (or ``python -m benchmarks.run --n 1000``) generates N
bulletins into a temporary directory (benchmarks.content), then times, each
build in its own process (median of ``--repeat`` runs):

- this project and plain Pelican, run by run in turn (cold, then warm), so a
  drift of the machine's speed weighs on both sides alike;
- this project: cold build (empty output and cache), warm rebuild with nothing
  changed, rebuild after one bulletin edited — HTML only at N (PDF editions
  left out of PLUGINS), and with PDFs on a ``--pdf-n`` subset, where the build
  log line « PDF : N rendu(s), M en cache » gives the PDFs rendered;
- ``invoke check`` alone (cold and warm validation cache);
- plain Pelican (same version, default theme, no plugins, its content cache
  on) on the same Markdown: cold and warm;
- PDFs per second, one process against the pool (benchmarks.pdf_throughput);
- peak memory: the proportional set size (PSS) of the build's process tree;
- growth: cold builds at smaller N, time per bulletin;
- the preview (``invoke serve``) at ``--preview-n`` bulletins: a save until the
  edited page is served, then until the whole site is (benchmarks.preview_latency);
- the search index each build writes (Pagefind): its time, and each
  language's pages and size, from the build's JSON line.

Results are printed as a table and written to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import preview_latency  # noqa: E402
from benchmarks.content import GeneratedSite, generate_site  # noqa: E402

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "latest.json"
PDF_LINE = re.compile(r"PDF(?: \([a-z]+\))? : (\d+) rendus?, (\d+) en cache")
SAMPLE_EVERY_SECONDS = 0.05
PSS_EVERY = 5  # samples: the PSS every 0.25 s

# Plain Pelican: its defaults (notmyidea theme, feeds, tags, categories,
# authors), no plugins, the same Markdown extensions, and its own content
# cache switched on so its warm rebuild is as fast as Pelican can be.
PLAIN_CONF = """\
PATH = {content!r}
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
ARTICLE_PATHS = ["bulletins"]
PAGE_PATHS = ["pages"]
ARTICLE_EXCLUDES = ["reunions", "budget"]
TIMEZONE = "America/Montreal"
DEFAULT_LANG = "fr"
SITEURL = ""
PLUGINS = []
# The subscribe page names `Template: subscribe`; the default theme has none.
THEME_TEMPLATES_OVERRIDES = [{templates!r}]
MARKDOWN = {markdown!r}
"""

# DESIGN.md's performance targets (warm: nothing changed, not in its table).
TARGETS = {
    "cold_ratio": 1.0,
    "warm_ratio": 1.2,
    "edit_ratio": 1.0,
    "preview_visible_s": 1.0,
    "warm_pdfs_rendered": 0,
    "edit_pdfs_rendered": 1,
    "pdf_speedup": 1.8,
    "peak_memory_mb": 300,
}


@dataclass
class Run:
    """One process: wall time, peak memory of its tree, what it printed."""

    seconds: float
    memory: Memory
    output: str = field(repr=False)
    status: int = 0


@dataclass
class Timing:
    """The runs of one scenario and their median."""

    runs: list[float]
    memory: Memory
    pdf_rendered: list[int] = field(default_factory=list)
    pdf_cached: list[int] = field(default_factory=list)
    search_seconds: list[float] = field(default_factory=list)  # Pagefind, in each run
    search_index: dict[str, dict[str, float]] = field(default_factory=dict)  # the last run's

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass
class Memory:
    """Peak memory of a process tree, in MiB, three ways.

    ``pss`` (proportional set size, summed over the tree) counts a page shared
    by n processes as 1/n in each: the memory the build really occupies, and
    the figure held against the target. ``rss_sum`` counts shared pages once
    per process (forked workers share most of their pages with their parent);
    ``largest_rss`` is the largest single process.
    """

    pss: float = 0.0
    rss_sum: float = 0.0
    largest_rss: float = 0.0

    def peak(self, other: Memory) -> Memory:
        return Memory(
            max(self.pss, other.pss),
            max(self.rss_sum, other.rss_sum),
            max(self.largest_rss, other.largest_rss),
        )


def peak_of(memories: Iterable[Memory]) -> Memory:
    found = Memory()
    for memory in memories:
        found = found.peak(memory)
    return found


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants (Linux /proc)."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue  # the process ended while being read
    return found


def _kib(text: str, field_name: str) -> int:
    match = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def tree_memory(root: int, pss: bool = True) -> Memory:
    """The memory of ``root``'s process tree right now.

    The PSS comes from ``smaps_rollup``, which costs the kernel a walk of every
    mapping (about 9 ms for 300 MB): without ``pss`` only the resident sets
    are read (``status``, a few microseconds).
    """
    total_pss = rss = largest = 0
    for pid in tree_pids(root):
        try:
            text = Path(f"/proc/{pid}/{'smaps_rollup' if pss else 'status'}").read_text()
        except OSError:
            continue
        resident = _kib(text, "Rss" if pss else "VmRSS")
        total_pss += _kib(text, "Pss") if pss else 0
        rss += resident
        largest = max(largest, resident)
    return Memory(total_pss / 1024, rss / 1024, largest / 1024)


def measure(command: Sequence[str], cwd: Path = PROJECT_ROOT) -> Run:
    """Run ``command`` and sample its process tree's memory until it ends."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        peak = Memory()
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            count = 0
            while not done.is_set():
                # The PSS every few samples: reading it takes CPU from the build measured.
                peak = peak.peak(tree_memory(process.pid, pss=count % PSS_EVERY == 0))
                count += 1
                done.wait(SAMPLE_EVERY_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, wait_status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        log.seek(0)
        output = log.read()
    # ru_maxrss (KiB) of the process itself catches a peak between two samples.
    peak = peak.peak(Memory(largest_rss=usage.ru_maxrss / 1024))
    return Run(seconds, peak, output, process.returncode)


def checked(run: Run, what: str) -> Run:
    if run.status != 0:
        raise SystemExit(f"{what} a échoué (code {run.status}) :\n{run.output[-3000:]}")
    return run


def pdf_counts(output: str) -> tuple[int, int]:
    """PDFs rendered and taken from the cache, summed over the sub-sites' log lines."""
    lines = PDF_LINE.findall(output)
    return sum(int(r) for r, _ in lines), sum(int(c) for _, c in lines)


@dataclass(frozen=True)
class Scenario:
    """One measured build: what to do before each run, the command, its French label."""

    prepare: Callable[[int], None]
    command: Callable[[], list[str]]
    what: str
    cwd: Path = PROJECT_ROOT

    def run(self, index: int) -> Run:
        self.prepare(index)
        return checked(measure(self.command(), self.cwd), self.what)


def build_stats(output: str) -> dict[str, Any]:
    """The JSON line benchmarks.build_once prints last ({} for plain Pelican's runs)."""
    lines = output.strip().splitlines()
    try:
        stats = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}
    return stats if isinstance(stats, dict) else {}


def timing_of(runs: list[Run], what: str) -> Timing:
    """The runs' seconds, peak memory, PDF counts and search index; prints the median."""
    timing = Timing([r.seconds for r in runs], peak_of(r.memory for r in runs))
    for run in runs:
        rendered, cached = pdf_counts(run.output)
        timing.pdf_rendered.append(rendered)
        timing.pdf_cached.append(cached)
        stats = build_stats(run.output)
        if stats.get("search_seconds") is not None:
            timing.search_seconds.append(stats["search_seconds"])
            timing.search_index = stats["search_index"]
    seconds = ", ".join(f"{r:.2f}" for r in timing.runs)
    print(f"  {what} : médiane {timing.median:.2f} s ({seconds})", flush=True)
    return timing


def repeat(
    times: int,
    prepare: Callable[[int], None],
    command: Callable[[], list[str]],
    what: str,
    cwd: Path = PROJECT_ROOT,
) -> Timing:
    """``times`` runs of ``command`` in ``cwd``, each after ``prepare(index)``."""
    scenario = Scenario(prepare, command, what, cwd)
    return timing_of([scenario.run(index) for index in range(times)], what)


def alternate(times: int, first: Scenario, second: Scenario) -> tuple[Timing, Timing]:
    """``times`` runs of each, one of one then one of the other: a drift in the
    machine's speed (other work on the host) weighs on both sides alike."""
    ones, others = [], []
    for index in range(times):
        ones.append(first.run(index))
        others.append(second.run(index))
    return timing_of(ones, first.what), timing_of(others, second.what)


class Workspace:
    """The temporary content, outputs and caches of one benchmark size."""

    def __init__(self, root: Path, site: GeneratedSite):
        self.root = root
        self.site = site
        self.content = site.content
        self.output = root / "output"
        self.spare = root / ".output-spare"  # the site the next build writes over
        self.cache = root / "cache"
        self.plain_output = root / "plain-output"
        self.plain_cache = root / "plain-cache"
        self.check_dir = root / "check"
        self.check_dir.mkdir(exist_ok=True)
        self.plain_conf = root / "plainconf.py"
        templates = root / "plain-templates"
        templates.mkdir(exist_ok=True)
        (templates / "subscribe.html").write_text('{% extends "page.html" %}\n')
        from pelican.settings import read_settings

        markdown = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))["MARKDOWN"]
        self.plain_conf.write_text(
            PLAIN_CONF.format(
                content=str(self.content),
                output=str(self.plain_output),
                cache=str(self.plain_cache),
                templates=str(templates),
                markdown={k: v for k, v in markdown.items() if k != "extensions"},
            )
        )

    def build_command(self, pdf: bool, jobs: int | None = None, force: bool = False) -> list[str]:
        command = [sys.executable, "-m", "benchmarks.build_once"]
        command += [str(self.content), str(self.output), str(self.cache)]
        if not pdf:
            command.append("--no-pdf")
        if force:
            command.append("--force")
        if jobs:
            command += ["--jobs", str(jobs)]
        return command

    def plain_command(self) -> list[str]:
        return [sys.executable, "-m", "pelican", "-q", "-s", str(self.plain_conf)]

    def check_command(self) -> list[str]:
        invoke = Path(sys.executable).with_name("invoke")
        return [str(invoke), "-r", str(PROJECT_ROOT), "check", "--content", str(self.content)]

    def clear(self, *paths: Path) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    def edited_bulletin(self) -> Path:
        """A French bulletin in the middle of the archive (no embedded schedule)."""
        french = [
            p
            for p in self.site.bulletins
            if not p.name.endswith(".en.md") and "[[" not in p.read_text(encoding="utf-8")
        ]
        return french[len(french) // 2]

    def edit(self, index: int) -> None:
        """Add one sentence to one bulletin, different at every call."""
        path = self.edited_bulletin()
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(
            text + f"\n\nPrécision n° {index + 1} ajoutée après relecture.\n", encoding="utf-8"
        )


def side_by_side(ws: Workspace, times: int) -> tuple[dict[str, Timing], dict[str, Timing]]:
    """This project's HTML builds and plain Pelican's, cold and warm run by run in
    turn; then this project's forced and one-edit rebuilds (an edit changes the content
    both read, so it comes last)."""
    ours_cold, plain_cold = alternate(
        times,
        Scenario(
            lambda _: ws.clear(ws.output, ws.spare, ws.cache),
            lambda: ws.build_command(False),
            "à froid",
        ),
        Scenario(
            lambda _: ws.clear(ws.plain_output, ws.plain_cache), ws.plain_command, "Pelican à froid"
        ),
    )
    ours_warm, plain_warm = alternate(
        times,
        Scenario(lambda _: None, lambda: ws.build_command(False), "sans changement"),
        Scenario(lambda _: None, ws.plain_command, "Pelican sans changement"),
    )
    ours = {"cold": ours_cold, "warm": ours_warm} | rebuilds(ws, times, pdf=False)
    return ours, {"cold": plain_cold, "warm": plain_warm}


def rebuilds(ws: Workspace, times: int, pdf: bool) -> dict[str, Timing]:
    """Forced rebuilds (past the up-to-date check: every page written again), then
    rebuilds after one edited bulletin."""
    return {
        "warm_forced": repeat(
            times, lambda _: None, lambda: ws.build_command(pdf, force=True), "forcée"
        ),
        "one_edit": repeat(times, ws.edit, lambda: ws.build_command(pdf), "un bulletin modifié"),
    }


def project_scenarios(ws: Workspace, times: int, pdf: bool) -> dict[str, Timing]:
    """Cold, warm and one-edit builds of this project."""
    command = lambda: ws.build_command(pdf)  # noqa: E731
    return {
        "cold": repeat(
            times, lambda _: ws.clear(ws.output, ws.spare, ws.cache), command, "à froid"
        ),
        "warm": repeat(times, lambda _: None, command, "sans changement"),
    } | rebuilds(ws, times, pdf)


def check_scenarios(ws: Workspace, times: int) -> dict[str, Timing]:
    """``invoke check`` with an empty cache (conversions and check results), then a
    filled one.

    The check's cache (BUILD_CACHE_PATH, ".cache") is beside the content folder, as
    the project's is beside content/.
    """
    empty = lambda _: ws.clear(ws.content.parent / ".cache")  # noqa: E731
    return {
        "cold": repeat(times, empty, ws.check_command, "check à froid", ws.check_dir),
        "warm": repeat(times, lambda _: None, ws.check_command, "check", ws.check_dir),
    }


def workspace(root: Path, n: int, seed: int) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    return Workspace(root, generate_site(root / "content", n=n, seed=seed))


def wall_seconds(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def pdf_pool_throughput(count: int, times: int) -> dict[str, Any]:
    """PDFs per second, one process against the build's pool (benchmarks.pdf_throughput)."""
    from benchmarks import pdf_throughput as pdf
    from plugins.pdf_edition.editions import render_all
    from plugins.pdf_edition.render import render_pdf

    workers = os.cpu_count() or 1
    single, pool = [], []
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        root = Path(tmp)
        render_pdf(pdf.synthetic_jobs(1, root / "warmup")[0])  # imports and fonts
        render_all(pdf.synthetic_jobs(workers, root / "warmup-pool"), workers)  # its forkserver
        for index in range(times):
            jobs = pdf.synthetic_jobs(count, root / f"single-{index}")
            single.append(wall_seconds(lambda jobs=jobs: [render_pdf(job) for job in jobs]))
            jobs = pdf.synthetic_jobs(count, root / f"pool-{index}")
            pool.append(wall_seconds(lambda jobs=jobs: render_all(jobs, workers)))
    return {
        "count": count,
        "workers": workers,
        "single_seconds": single,
        "pool_seconds": pool,
        "single_pdf_per_s": count / statistics.median(single),
        "pool_pdf_per_s": count / statistics.median(pool),
        "speedup": statistics.median(single) / statistics.median(pool),
    }


def pdf_build_throughput(ws: Workspace, times: int) -> dict[str, Any]:
    """Real generated bulletins: time spent rendering in a cold build, one job vs the
    pool, in turn."""
    kinds = (("single", 1), ("pool", os.cpu_count() or 1))
    seconds: dict[str, list[float]] = {label: [] for label, _ in kinds}
    rendered = 0
    for _ in range(times):
        for label, jobs in kinds:
            ws.clear(ws.output, ws.spare, ws.cache)
            run = checked(measure(ws.build_command(pdf=True, jobs=jobs)), "build PDF")
            stats = json.loads(run.output.strip().splitlines()[-1])
            seconds[label].append(stats["pdf_render_seconds"])
            rendered = stats["pdf_jobs"]
    results: dict[str, Any] = {}
    for label, jobs in kinds:
        results[label] = {"jobs": jobs, "render_seconds": seconds[label], "pdfs": rendered}
        results[f"{label}_pdf_per_s"] = rendered / statistics.median(seconds[label])
    results["speedup"] = results["pool_pdf_per_s"] / results["single_pdf_per_s"]
    return results


def growth(sizes: Sequence[int], root: Path, seed: int, times: int) -> list[dict[str, Any]]:
    """Cold HTML builds at each size: seconds and milliseconds per bulletin."""
    rows = []
    for n in sizes:
        ws = workspace(root / f"growth-{n}", n, seed)
        ours, plain = cold_builds(ws, times)
        rows.append(growth_row(n, ours.median, plain.median))
        shutil.rmtree(ws.root, ignore_errors=True)
    return rows


def cold_builds(ws: Workspace, times: int) -> tuple[Timing, Timing]:
    """Cold HTML builds of this project and of plain Pelican, in turn."""
    return alternate(
        times,
        Scenario(
            lambda _: ws.clear(ws.output, ws.spare, ws.cache),
            lambda: ws.build_command(False),
            "build",
        ),
        Scenario(lambda _: ws.clear(ws.plain_output, ws.plain_cache), ws.plain_command, "Pelican"),
    )


def growth_row(n: int, ours: float, plain: float) -> dict[str, Any]:
    return {
        "n": n,
        "seconds": ours,
        "ms_per_bulletin": 1000 * ours / n,
        "plain_seconds": plain,
        "plain_ms_per_bulletin": 1000 * plain / n,
    }


def linearity(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether time per bulletin stays flat: the largest size against the smallest.

    Fixed costs (interpreter start, theme, pages) make small sizes cost more
    per bulletin; a ratio well above 1 means a step that grows faster than N.
    """
    first, last = rows[0], rows[-1]
    # Subtract the fixed cost estimated from the two smallest sizes (a line through them).
    a, b = rows[0], rows[1] if len(rows) > 1 else rows[0]
    slope = (b["seconds"] - a["seconds"]) / max(1, b["n"] - a["n"])
    fixed = a["seconds"] - slope * a["n"]
    predicted = fixed + slope * last["n"]
    return {
        "ms_per_bulletin_ratio_largest_to_smallest": last["ms_per_bulletin"]
        / first["ms_per_bulletin"],
        "fixed_cost_seconds": fixed,
        "marginal_ms_per_bulletin": 1000 * slope,
        "largest_measured_over_linear_prediction": last["seconds"] / predicted,
        "linear": last["seconds"] / predicted < 1.25,
    }


def search_figures(n: int, ours: dict[str, Timing]) -> dict[str, Any]:
    """The search index at N: each language's pages and size (KB), and Pagefind's time
    beside the whole build's, cold and after one edit (the whole site is indexed again)."""
    figures: dict[str, Any] = {"n": n, "languages": ours["cold"].search_index}
    for scenario in ("cold", "one_edit"):
        timing = ours[scenario]
        if timing.search_seconds:
            figures[scenario] = {
                "index_seconds": statistics.median(timing.search_seconds),
                "build_seconds": timing.median,
            }
    return figures


def ratio(ours: Timing, plain: Timing) -> float:
    return ours.median / plain.median


def summary(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows of the printed table: scenario, ours, plain Pelican, ratio, target."""
    t = results["timings"]
    rows = []

    def timing_row(label: str, ours: str, plain: str | None, target: str = "") -> None:
        mine = t[ours]["median_s"]
        if plain is None:
            rows.append((label, f"{mine:7.2f} s", "", "", target))
            return
        theirs = t[plain]["median_s"]
        rows.append((label, f"{mine:7.2f} s", f"{theirs:7.2f} s", f"{mine / theirs:5.2f}×", target))

    timing_row("construction à froid (HTML)", "project_cold", "plain_cold", "≤ 1,0×")
    timing_row("reconstruction sans changement", "project_warm", "plain_warm", "≤ 1,2×")
    timing_row("même chose, forcée (--force)", "project_warm_forced", "plain_warm")
    timing_row("après une modification", "project_one_edit", "plain_warm", "≤ 1,0×")
    timing_row("invoke check (cache vide)", "check_cold", None)
    timing_row("invoke check (cache plein)", "check_warm", None)
    p = results["pdf_counts"]
    rows.append(
        (
            f"PDF rendus, sans changement (N={p['n']})",
            str(max(p["warm_rendered"])),
            "",
            "",
            "0",
        )
    )
    rows.append(
        (f"PDF rendus, un bulletin modifié (N={p['n']})", str(max(p["edit_rendered"])), "", "", "1")
    )
    for key, label in (("pdf_pool", "PDF/s (synthétiques)"), ("pdf_build", "PDF/s (build réel)")):
        if key in results:
            pdf = results[key]
            rows.append(
                (
                    f"{label} : 1 proc. → pool",
                    f"{pdf['single_pdf_per_s']:.2f} → {pdf['pool_pdf_per_s']:.2f}",
                    "",
                    f"{pdf['speedup']:5.2f}×",
                    "≥ 1,8×",
                )
            )
    preview = results.get("preview")
    if preview:
        rows.append(
            (
                f"aperçu : page modifiée servie (N={preview['n']})",
                f"{preview['visible_s']:7.2f} s",
                "",
                "",
                "< 1 s",
            )
        )
        rows.append(
            (
                "  puis tout le site, PDF compris",
                f"{preview['complete_s']:7.2f} s",
                "",
                "",
                "",
            )
        )
    search = results.get("search_index", {})
    sizes = " / ".join(
        f"{code} {language['kb']:.0f}" for code, language in search.get("languages", {}).items()
    )
    if sizes:
        rows.append((f"index de recherche, par langue (Ko, N={search['n']})", sizes, "", "", ""))
    for scenario, label in (("cold", "à froid"), ("one_edit", "après une modification")):
        if scenario in search:
            figures = search[scenario]
            rows.append(
                (
                    f"  indexation / construction, {label}",
                    f"{figures['index_seconds']:.2f} s / {figures['build_seconds']:.2f} s",
                    "",
                    "",
                    "",
                )
            )
    memory = results["memory_mb"]
    for key, label in (("html", "HTML"), ("with_pdf", "avec PDF")):
        plain = f"{memory['plain']['pss']:.0f}" if key == "html" else ""
        rows.append(
            (f"mémoire max (PSS), {label} (Mo)", f"{memory[key]['pss']:.0f}", plain, "", "< 300")
        )
        rows.append(
            (
                f"  RSS : somme / plus gros processus, {label} (Mo)",
                f"{memory[key]['rss_sum']:.0f} / {memory[key]['largest_rss']:.0f}",
                "",
                "",
                "",
            )
        )
    return rows


def print_table(results: dict[str, Any]) -> None:
    rows = [("mesure", "ce projet", "Pelican seul", "rapport", "cible"), *summary(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print("\nCroissance (construction à froid, HTML) :")
    for row in results["growth"]:
        print(
            f"  N={row['n']:>5} : {row['seconds']:6.2f} s  "
            f"{row['ms_per_bulletin']:5.1f} ms/bulletin"
            f"   (Pelican seul : {row['plain_seconds']:6.2f} s, "
            f"{row['plain_ms_per_bulletin']:5.1f} ms/bulletin)"
        )
    lin = results["linearity"]
    print(
        f"  coût fixe ≈ {lin['fixed_cost_seconds']:.1f} s, marginal ≈ "
        f"{lin['marginal_ms_per_bulletin']:.1f} ms/bulletin ; N max mesuré / prédiction linéaire "
        f"= {lin['largest_measured_over_linear_prediction']:.2f} → "
        f"{'linéaire' if lin['linear'] else 'PLUS QUE LINÉAIRE'}"
    )
    print("\nCibles :")
    for name, target in results["targets"].items():
        print(
            f"  {'OK  ' if target['met'] else 'RATÉ'} {name} = "
            f"{target['value']:.2f} ({target['rule']})"
        )


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    t, p = results["timings"], results["pdf_counts"]
    pdf = results.get("pdf_pool") or results["pdf_build"]
    values = {
        "cold_ratio": (t["project_cold"]["median_s"] / t["plain_cold"]["median_s"], "≤ 1.0"),
        "warm_ratio": (t["project_warm"]["median_s"] / t["plain_warm"]["median_s"], "≤ 1.2"),
        "edit_ratio": (t["project_one_edit"]["median_s"] / t["plain_warm"]["median_s"], "≤ 1.0"),
        "warm_pdfs_rendered": (max(p["warm_rendered"] + p["warm_forced_rendered"]), "= 0"),
        "edit_pdfs_rendered": (max(p["edit_rendered"]), "= 1"),
        "pdf_speedup": (pdf["speedup"], "≥ 1.8"),
        "peak_memory_mb": (
            max(results["memory_mb"][key]["pss"] for key in ("html", "with_pdf")),
            "< 300 (PSS)",
        ),
    }
    checks = {
        "cold_ratio": lambda v: v <= TARGETS["cold_ratio"],
        "warm_ratio": lambda v: v <= TARGETS["warm_ratio"],
        "edit_ratio": lambda v: v <= TARGETS["edit_ratio"],
        "warm_pdfs_rendered": lambda v: v == 0,
        "edit_pdfs_rendered": lambda v: v == 1,
        "pdf_speedup": lambda v: v >= TARGETS["pdf_speedup"],
        "peak_memory_mb": lambda v: v < TARGETS["peak_memory_mb"],
        "preview_visible_s": lambda v: v < TARGETS["preview_visible_s"],
    }
    if results.get("preview"):
        values["preview_visible_s"] = (results["preview"]["visible_s"], "< 1 s")
    return {
        name: {"value": value, "rule": rule, "met": checks[name](value)}
        for name, (value, rule) in values.items()
    }


def as_json(timing: Timing) -> dict[str, Any]:
    data = asdict(timing)
    data["median_s"] = timing.median
    return data


def compile_sources() -> None:
    """Compile the project's modules into ``__pycache__`` before anything is timed.

    On a staff machine the first build does it (Python writes the bytecode of what
    it imports), as pip did for Pelican's when it installed it. Where
    ``PYTHONDONTWRITEBYTECODE`` is set (this sandbox, some CI), nothing would write
    them, and every build of this side alone would compile its 60 modules again
    (about 0.1 s): not what staff wait for. Python still reads bytecode that exists.
    """
    import compileall

    for folder in ("plugins", "benchmarks"):
        compileall.compile_dir(PROJECT_ROOT / folder, quiet=1)
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        compileall.compile_file(PROJECT_ROOT / name, quiet=1)


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    from pelican import __version__ as pelican_version

    started = time.perf_counter()
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="bulletins-bench-") as tmp:
        root = Path(tmp)
        print(f"Génération de {args.n} bulletins…", flush=True)
        ws = workspace(root / f"n-{args.n}", args.n, args.seed)
        print("Ce projet (HTML) et Pelican seul, en alternance…", flush=True)
        ours, plain = side_by_side(ws, args.repeat)
        print("invoke check…", flush=True)
        check = check_scenarios(ws, args.repeat)
        shutil.rmtree(ws.root, ignore_errors=True)

        print(f"PDF sur {args.pdf_n} bulletins…", flush=True)
        pdf_ws = workspace(root / f"pdf-{args.pdf_n}", args.pdf_n, args.seed)
        with_pdf = project_scenarios(pdf_ws, args.repeat, pdf=True)
        pdf_build = pdf_build_throughput(pdf_ws, args.pdf_repeat)
        shutil.rmtree(pdf_ws.root, ignore_errors=True)
        try:
            pdf_pool = pdf_pool_throughput(args.pdf_n, args.pdf_repeat)
        except Exception as error:  # noqa: BLE001 - another engineer's module: keep our figures
            print(f"benchmarks.pdf_throughput inutilisable ({error!r})", flush=True)
            pdf_pool = None  # the throughput measured on real builds stands

        print("Croissance…", flush=True)
        sizes = sorted({s for s in args.growth if s < args.n})
        rows = growth(sizes, root, args.seed, args.repeat)
        rows.append(growth_row(args.n, ours["cold"].median, plain["cold"].median))

    preview = None
    if args.preview_n:
        print(f"Aperçu (invoke serve) sur {args.preview_n} bulletins…", flush=True)
        preview = preview_latency.measure(args.preview_n, args.repeat, args.seed)

    timings = {f"project_{k}": as_json(v) for k, v in ours.items()}
    timings |= {f"plain_{k}": as_json(v) for k, v in plain.items()}
    timings |= {f"check_{k}": as_json(v) for k, v in check.items()}
    timings |= {f"project_pdf_{k}": as_json(v) for k, v in with_pdf.items()}
    results: dict[str, Any] = {
        "generated": {
            "n": args.n,
            "seed": args.seed,
            "files": len(ws.site.bulletins),
            "english_twins": ws.site.english,
            "meetings": ws.site.meetings,
            "budget_updates": ws.site.budgets,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pelican": pelican_version,
            "platform": platform.platform(),
        },
        "repeat": args.repeat,
        "settings": {
            "project": "pelicanconf.py; at N the PDF editions are left out of PLUGINS "
            "(HTML, feeds, calendars, budget, validation); PDFs on the --pdf-n subset",
            "plain_pelican": "default theme (notmyidea) and settings, PLUGINS = [], same "
            "MARKDOWN extensions, same ARTICLE_PATHS/PAGE_PATHS, CACHE_CONTENT and "
            "LOAD_CONTENT_CACHE on (its reader-level content cache; off by default)",
            "memory": "peak of the process tree: PSS summed over its processes (every "
            "0.25 s), RSS summed and the largest process's RSS (every 50 ms)",
        },
        "timings": timings,
        "ratios": {
            "cold": ratio(ours["cold"], plain["cold"]),
            "warm": ratio(ours["warm"], plain["warm"]),
            "warm_forced": ratio(ours["warm_forced"], plain["warm"]),
            "one_edit_vs_plain_warm": ratio(ours["one_edit"], plain["warm"]),
        },
        "pdf_counts": {
            "n": args.pdf_n,
            "cold_rendered": with_pdf["cold"].pdf_rendered,
            "warm_rendered": with_pdf["warm"].pdf_rendered,
            "warm_cached": with_pdf["warm"].pdf_cached,
            "warm_forced_rendered": with_pdf["warm_forced"].pdf_rendered,
            "warm_forced_cached": with_pdf["warm_forced"].pdf_cached,
            "edit_rendered": with_pdf["one_edit"].pdf_rendered,
            "edit_cached": with_pdf["one_edit"].pdf_cached,
        },
        "pdf_build": pdf_build,
        "memory_mb": {
            "html": asdict(peak_of(t.memory for t in ours.values())),
            "with_pdf": asdict(peak_of(t.memory for t in with_pdf.values())),
            "plain": asdict(peak_of(t.memory for t in plain.values())),
        },
        "growth": rows,
        "linearity": linearity(rows) if len(rows) > 1 else {},
        "search_index": search_figures(args.n, ours),
    }
    if pdf_pool is not None:
        results["pdf_pool"] = pdf_pool
    if preview is not None:
        results["preview"] = preview
    results["targets"] = targets(results)
    results["benchmark_seconds"] = time.perf_counter() - started
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="French bulletins (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (3)")
    parser.add_argument("--pdf-n", type=int, default=50, help="bulletins of the PDF subset (50)")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="runs per PDF throughput (3)")
    parser.add_argument(
        "--growth",
        type=lambda text: [int(s) for s in text.split(",") if s],
        default=[100, 300],
        help="smaller sizes for the growth check (100,300)",
    )
    parser.add_argument(
        "--preview-n",
        type=int,
        default=300,
        help="bulletins of the preview measure, a save until its page is served (300; 0: none)",
    )
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results = run_benchmark(args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print()
    print_table(results)
    print(f"\nRésultats : {args.output} ({results['benchmark_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
