"""The benchmark's own machinery: generated content, memory of a process tree, growth."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.content import generate_site, seed_sentences
from benchmarks.run import growth_row, linearity, measure


def test_generated_content_is_deterministic_and_never_empty(tmp_path):
    first = generate_site(tmp_path / "a", n=12, seed=7)
    second = generate_site(tmp_path / "b", n=12, seed=7)
    names = [p.relative_to(first.content) for p in first.bulletins]
    assert names == [p.relative_to(second.content) for p in second.bulletins]
    assert all((first.content / n).read_bytes() == (second.content / n).read_bytes() for n in names)
    assert len([n for n in names if not n.name.endswith(".en.md")]) == 12


def test_prose_comes_from_the_sample_content_when_no_seeds_are_beside_the_clone():
    sentences = seed_sentences(Path("/nonexistent"))
    assert len(sentences) > 50
    assert any("communautaire" in s for s in sentences)


def test_memory_of_a_process_tree_counts_its_children(tmp_path):
    # A parent holding 40 MB starts a child holding 80 MB; both sleep while sampled.
    child = "import time; data = b'x' * (80 * 2**20); time.sleep(1.5)"
    script = (
        "import subprocess, sys\n"
        "data = b'x' * (40 * 2**20)\n"
        f"subprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
    )
    run = measure([sys.executable, "-c", script], cwd=tmp_path)
    assert run.status == 0
    assert run.memory.pss > 120
    assert run.memory.rss_sum >= run.memory.pss
    # The kernel's peak of one process (ru_maxrss) can exceed the sampled sum: samples
    # miss short peaks, on a loaded machine more so.
    assert run.memory.largest_rss > 80


def test_growth_faster_than_n_is_not_called_linear():
    linear = [growth_row(n, 1 + 0.02 * n, 0.01 * n) for n in (100, 300, 1000)]
    quadratic = [growth_row(n, 1 + 0.00002 * n * n, 0.01 * n) for n in (100, 300, 1000)]
    assert linearity(linear)["linear"]
    assert not linearity(quadratic)["linear"]


def test_a_measured_build_reports_its_search_index(tmp_path):
    from benchmarks.run import timing_of

    site = generate_site(tmp_path / "generated", n=6, seed=3)
    command = [sys.executable, "-m", "benchmarks.build_once", str(site.content)]
    command += [str(tmp_path / "output"), str(tmp_path / "cache"), "--no-pdf"]

    timing = timing_of([measure(command)], "build")

    assert len(timing.search_seconds) == 1 and timing.search_seconds[0] > 0
    assert list(timing.search_index) == ["fr", "en"]
    assert all(language["kb"] > 0 for language in timing.search_index.values())
    assert timing.search_index["fr"]["pages"] > 6  # the bulletins, meetings and pages
