"""Builds that cannot collide: lock, private staging folders, atomic swap.

Each build here is a real ``python -m plugins.build`` process, as staff start
them (``invoke serve`` in one terminal, ``make site`` in another).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT
from plugins.build.staging import MARKER, build_lock, new_staging, spare_of

PDF = "info-psoc/info-psoc-01/info-psoc-01.pdf"


def start_build(output: Path, cache: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "plugins.build", "--output", str(output), "--cache", str(cache)]
        + list(extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Path]:
    """A built site whose later builds the tests watch."""
    root = tmp_path_factory.mktemp("concurrent")
    output, cache = root / "output", root / "cache"
    status, out, err = finish(start_build(output, cache))
    assert status == 0, err
    return output, cache


def staging_folders(output: Path) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}-staging-*"))


def leftovers(output: Path, seconds: float = 30) -> list[Path]:
    """The staging folders still there once the previous sites' removal had time to end
    (a detached process removes them after each swap)."""
    deadline = time.monotonic() + seconds
    while staging_folders(output) and time.monotonic() < deadline:
        time.sleep(0.05)
    return staging_folders(output)


def test_two_builds_at_once_both_succeed_and_output_never_goes_missing(first_build):
    output, cache = first_build
    watched = [output / "index.html", output / PDF]
    missing: list[str] = []
    reads = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal reads
        while not stop.is_set():
            for path in watched:
                try:
                    path.read_bytes()
                except OSError as error:
                    missing.append(f"{path.relative_to(output)}: {error}")
            reads += 1
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        builds = [start_build(output, cache, "--force") for _ in range(2)]
        results = [finish(build) for build in builds]
    finally:
        stop.set()
        poller.join()

    for status, _out, err in results:
        assert status == 0, err
        assert "Traceback" not in err
    waited = [err for _, _, err in results if "j'attends qu'elle se termine" in err]
    assert len(waited) == 1, [err for _, _, err in results]
    assert waited[0].count("une construction est déjà en cours (processus ") == 1
    assert reads > 10
    assert missing == []
    assert leftovers(output) == []


def test_no_wait_exits_1_with_one_french_line_while_another_build_runs(first_build):
    output, cache = first_build
    before = (output / "index.html").read_bytes()
    with build_lock(cache):
        status, _out, err = finish(start_build(output, cache, "--force", "--no-wait"))
    assert status == 1
    assert err.strip() == (
        f"une construction est déjà en cours (processus {os.getpid()}) ; réessayez"
    )
    assert (output / "index.html").read_bytes() == before


def test_staging_left_by_a_killed_build_is_removed_by_the_next(first_build):
    output, cache = first_build
    leftover = output.parent / f".{output.name}-staging-killed"
    (leftover / "theme" / "css").mkdir(parents=True)
    status, _, err = finish(start_build(output, cache, "--force"))
    assert status == 0, err
    assert not leftover.exists()


def test_interrupted_build_leaves_output_whole_and_no_staging(first_build):
    output, cache = first_build
    assert leftovers(output) == []
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    build = start_build(output, cache, "--force")
    deadline = time.monotonic() + 60
    while not staging_folders(output) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert staging_folders(output), "the build never started staging"
    build.send_signal(signal.SIGINT)
    status, _, err = finish(build)
    if status == 0:
        pytest.skip("the build finished before the interruption reached it")
    # 130 (what a shell shows for Ctrl-C), or the interpreter ending by the signal itself.
    assert status in (130, -signal.SIGINT), err
    assert err.strip().endswith("construction interrompue : le site publié n'a pas changé.")
    assert "Traceback" not in err
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert staging_folders(output) == []  # removed by the interrupted build itself


def test_a_staging_folder_that_cannot_be_started_puts_the_spare_back(tmp_path):
    """Whatever stops a build while it takes the spare as its staging folder (Ctrl+C,
    a write refused) leaves the spare where it was and no staging folder."""
    output = tmp_path / "output"
    spare = spare_of(output)
    (spare / "a-propos").mkdir(parents=True)
    (spare / "a-propos" / "index.html").write_text("<p>À propos</p>", encoding="utf-8")
    (spare / MARKER).mkdir()  # the marker cannot be written: a folder has its name

    with pytest.raises(IsADirectoryError):
        new_staging(output)

    assert (spare / "a-propos" / "index.html").read_text(encoding="utf-8") == "<p>À propos</p>"
    assert staging_folders(output) == []


def test_a_script_building_without_a_main_guard_finishes_instead_of_waiting(tmp_path):
    """The build's pools start workers with forkserver, which runs the calling script
    again in each of them: without ``if __name__ == "__main__":`` those would wait for
    the lock their own build holds, forever. They stop at once, saying why, and the
    build does their share itself."""
    script = tmp_path / "build_it.py"
    script.write_text(
        "from pathlib import Path\n"
        "from plugins.build import PROJECT_ROOT, build_site\n"
        f"build_site(PROJECT_ROOT / 'pelicanconf.py', output=Path({str(tmp_path / 'out')!r}),\n"
        f"           overrides={{'BUILD_CACHE_PATH': {str(tmp_path / 'cache')!r}}})\n"
        "print('construit')\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("construit")
    assert '« if __name__ == "__main__": »' in done.stderr
    assert (tmp_path / "out" / "index.html").is_file()


def descendants(pid: int) -> set[int]:
    """The processes below ``pid`` now (Linux /proc)."""
    found, pending = set(), [pid]
    while pending:
        for task in Path(f"/proc/{pending.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue  # ended while being read
            pending.extend(children - found)
            found |= children
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""  # ended


def test_a_killed_build_leaves_no_process_behind(tmp_path):
    """``kill -9`` of a build while its pool renders PDFs: its workers, the pools' server
    and the resource tracker end too, instead of waiting for jobs forever."""
    build = start_build(tmp_path / "output", tmp_path / "cache")  # empty cache: pools run
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        seen |= descendants(build.pid)
        servers = [pid for pid in seen if running(pid) and b"forkserver" in command(pid)]
        if any(descendants(server) for server in servers):  # a worker is running
            break
        time.sleep(0.01)
    else:
        pytest.fail("the build ended (or never started a pool worker) before it was killed")
    build.kill()
    build.wait(timeout=30)  # not its pipes: a worker left behind would hold them open
    build.stdout.close()
    build.stderr.close()
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = {pid: command(pid)[:80] for pid in seen if running(pid)}
    assert left == {}
