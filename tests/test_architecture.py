"""Architecture rules, checked on the source itself (the style guide, STYLE.md).

* "Use the engine, don't pick its locks": no private name of another project.
* Our modules form no import cycle, imports inside functions included.
* The site does not depend on the order of ``PLUGINS``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture import (
    describe_cycle,
    import_cycles,
    import_edges,
    private_name_violations,
    scanned_files,
)
from tests.site_bytes import differing_files


def test_no_private_name_of_another_project_is_used() -> None:
    """No file of plugins/, tasks.py, pelicanconf.py or publishconf.py uses a private name
    (``_x`` or ``__x``, dunders excepted) that the project does not define itself.

    Promised, for every such file:

    * ``obj._x`` (or ``getattr(obj, "_x")``) only when ``_x`` is defined somewhere in
      the scanned files: a function, method, class, class attribute or dataclass
      field, module-level variable, or ``self._x = …``. On a name imported from
      another project (``gettext._x``, ``LimitFilter._x``) it is never allowed.
    * No private member (method, class attribute, ``self._x = …``) in a class that
      inherits, directly or through our classes, from another project's class
      (the standard library included): it may override the base's private name,
      e.g. ``_parse_metadata`` in a Pelican reader. Such members define nothing.
    * No ``from <other project> import _x`` and no import of a private module
      (``markdown._private``) of another project.

    The failure lists every ``path:line: name`` at once.
    """
    violations = private_name_violations(scanned_files())
    if violations:
        listing = "\n".join(map(str, violations))
        pytest.fail(
            f"{len(violations)} private name(s) of another project:\n{listing}", pytrace=False
        )


def test_our_modules_import_each_other_without_cycle() -> None:
    """The import graph of ``plugins.*`` and ``tasks`` has no cycle.

    An edge is every written import, at module level or inside a function (only
    ``if TYPE_CHECKING:`` blocks are left out): ``import a.b`` depends on ``a.b``;
    ``from a import b`` on ``a.b`` when that is one of our modules, else on ``a``;
    relative imports are resolved. Importing ``a.b`` also runs ``a/__init__.py``,
    but that implicit dependency is not counted: only what is written, so a cycle
    names imports a developer can remove.

    The failure shows every strongly connected component of more than one module
    as ``a → b → a`` chains covering all of its import edges, each edge with the
    line that writes it.
    """
    cycles = import_cycles(import_edges(scanned_files()))
    if cycles:
        listing = "\n".join(map(describe_cycle, cycles))
        pytest.fail(f"{len(cycles)} import cycle(s):\n{listing}", pytrace=False)


# --- Slow: two full builds of the sample site (about 10 s each). ---------------------


def test_the_build_process_leaves_weasyprint_to_the_pdf_workers() -> None:
    """WeasyPrint (about 25 MB) is imported by the workers that render PDFs, never by
    the build's own process, whose memory counts for the whole run."""
    from pelican.settings import read_settings

    from plugins.build import PROJECT_ROOT

    enabled = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))["PLUGINS"]
    plugins = ", ".join(f'"{name}"' for name in ["plugins.build", "tasks", *enabled])
    script = (
        "import importlib, sys\n"
        f"for name in [{plugins}]:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_slow_shuffled_plugins_build_the_same_site(tmp_path: Path) -> None:
    """SLOW (two full builds). The sample site built with ``PLUGINS`` reversed and
    shuffled is byte for byte the site built with the configured order: no plugin
    relies on another having run first. Each build has its own cache directory.
    (Pagefind's filter chunks are compared by their content: tests/site_bytes.py.)
    """
    from pelican.settings import read_settings

    from plugins.build import PROJECT_ROOT, build_site

    conf = PROJECT_ROOT / "pelicanconf.py"
    configured = list(read_settings(str(conf))["PLUGINS"])
    shuffled = configured[::-1]
    random.Random(20240917).shuffle(shuffled)
    assert shuffled != configured, "the fixed seed must actually change the order"

    build_site(
        conf, output=tmp_path / "a", overrides={"BUILD_CACHE_PATH": str(tmp_path / "cache-a")}
    )
    build_site(
        conf,
        output=tmp_path / "b",
        overrides={"PLUGINS": shuffled, "BUILD_CACHE_PATH": str(tmp_path / "cache-b")},
    )

    assert (tmp_path / "a" / "index.html").is_file(), "the first build wrote no site"
    differences = differing_files(tmp_path / "a", tmp_path / "b")
    if differences:
        first = "\n".join(differences[:20])
        pytest.fail(
            f"PLUGINS = {shuffled} builds another site; {len(differences)} file(s) differ, "
            f"first ones:\n{first}",
            pytrace=False,
        )
