"""The one object a build hands from phase to phase.

The load fills it (the model), each language's Pelican run reads it, and the
after-steps (PDF editions, feeds) add their problems and plans to it.
Pelican's signals only carry Pelican's objects, so the build makes its
context current for the duration of each run (``running``) and the plugins'
handlers ask for it (``current``), instead of reading private keys of the
settings or attributes hung on generators.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plugins.model import Problem, ProblemLog

if TYPE_CHECKING:
    from plugins.content.kept import KeptPages
    from plugins.content.loading import ContentModel


@dataclass(frozen=True)
class Selection:
    """A preview's quick pass: only the pages made from ``sources`` are written.

    Nothing else is (no index, archive, feed, calendar or PDF): the pages link
    to the PDF editions of ``published``, the site the preview serves now.
    """

    sources: frozenset[str]  # absolute paths of the edited content files
    published: Path


@dataclass
class BuildContext:
    """The model, the problems of the render phase and what each language planned.

    ``plans`` holds, per language, what one signal handler decides for a later
    one (the feeds a sub-site will write): ``plans[lang][capability]``.
    """

    model: ContentModel
    languages: tuple[str, ...]
    siteurls: dict[str, str]
    problems: ProblemLog = field(default_factory=ProblemLog)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    processing: str | None = None  # absolute path of the content file Pelican is on
    selection: Selection | None = None  # None: the whole site is written
    kept: KeptPages | None = None  # pages linked from the published site when unchanged
    # Told each file Pelican's writer wrote (its path), and each page kept from the
    # published site (its name): the search indexes each shard whose pages are all
    # there while the language renders (plugins.build.finishing).
    on_written: Callable[[str], None] | None = None
    on_kept: Callable[[str], None] | None = None
    # The content files whose links move a file beside their page ({attach}, even
    # as written from the file's folder: plugins.content.links), noted by the reader.
    attaching: set[str] = field(default_factory=set)

    @property
    def writes_everything(self) -> bool:
        """False in a preview's quick pass: only the selected pages are written."""
        return self.selection is None

    def writes(self, source_path: str | None) -> bool:
        """Whether the page made from ``source_path`` (None: not from one file) is written."""
        if self.selection is None:
            return True
        return source_path is not None and source_path in self.selection.sources

    @contextlib.contextmanager
    def on_file(self, source_path: str | None) -> Iterator[None]:
        """Pelican reads or writes ``source_path`` during the block (for its messages)."""
        previous, self.processing = self.processing, source_path
        try:
            yield
        finally:
            self.processing = previous

    def plan(self, lang: str, capability: str) -> Any:
        return self.plans.get(lang, {}).get(capability)

    def set_plan(self, lang: str, capability: str, plan: Any) -> None:
        self.plans.setdefault(lang, {})[capability] = plan

    def add(self, problem: Problem) -> None:
        self.problems.add(problem)


_current: contextvars.ContextVar[BuildContext | None] = contextvars.ContextVar(
    "bulletins_build", default=None
)


class NoBuildContext(RuntimeError):
    """A plugin ran in a Pelican run that plugins.build did not start."""


def current() -> BuildContext:
    """The context of the build running now."""
    context = _current.get()
    if context is None:
        raise NoBuildContext(
            "les plugins de Bulletins s'utilisent par « invoke build » (plugins.build), "
            "pas par la commande pelican seule"
        )
    return context


@contextlib.contextmanager
def running(context: BuildContext) -> Iterator[BuildContext]:
    """Make ``context`` the current one for the duration of the block."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
