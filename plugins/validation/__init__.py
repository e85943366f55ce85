"""Validation: pure checks over the loaded model, before anything is written.

``check_content(settings)`` loads content/ once and runs every check: it is
what ``invoke check`` prints and what the build refuses to publish. Checks
are plain functions of the loaded files (``plugins.validation.checks``,
``targets``, ``html_rules``); meetings and budget updates are checked as
their catalogue is made (``plugins.meetings.reading``,
``plugins.budget.reading``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.content.embeds import allowed_hosts
from plugins.content.links import published_files
from plugins.content.loading import BULLETINS_DIR, ContentModel, load_content
from plugins.histoires.rules import Action, story_problems
from plugins.meetings.reading import MEETINGS_DIR
from plugins.meetings.schedule import marker_problems
from plugins.memo import cache_root
from plugins.model import Problem, Series, SourceFile, missing_metadata_problem, series_table
from plugins.pools import JobFailure, run_jobs, worker_count
from plugins.validation.checks import (
    Entry,
    check_duplicate_numbers,
    check_file,
    check_links,
    check_page,
    check_raw_html,
    check_translations,
    entry_of,
)
from plugins.validation.html_rules import check_rendered_html
from plugins.validation.memo import CheckMemo, code_stamp, tree_listing
from plugins.validation.source import body_lines, headings
from plugins.validation.targets import (
    check_targets,
    placeholder_problems,
    scheme_problems,
    shared_attachment_problem,
    target_line,
    unpublished_targets,
)


def series_folder(file: SourceFile) -> str | None:
    """The ``<series>`` of ``bulletins/<series>/file.md`` (None elsewhere)."""
    parts = file.relative.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == BULLETINS_DIR else None


def across_files(entries: list[Entry], table) -> list[Problem]:
    """Duplicate numbers and translations."""
    return check_duplicate_numbers(entries, table) + check_translations(entries, table)


_TEMPLATE_ID = re.compile(r"""\bid=["']([^"'{}]+)["']""")


def template_ids(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The literal ids of the templates around a bulletin (base.html, article.html)."""
    folder = Path(settings.get("THEME") or "") / "templates"
    found: list[str] = []
    for name in ("base.html", "article.html"):
        try:
            found.extend(_TEMPLATE_ID.findall((folder / name).read_text(encoding="utf-8")))
        except OSError:
            continue
    return tuple(sorted(set(found)))


def duplicate_metadata_problems(file: SourceFile) -> list[Problem]:
    """A header key written twice: each holds one value (a second ``Title`` would
    reach the page as a list of both)."""
    found = []
    for key, values in file.fields.items():
        if len(values) > 1:
            first, second = values[0][0], values[1][0]
            found.append(
                Problem(
                    file.path,
                    second,
                    f"métadonnée « {key.capitalize()} » écrite deux fois (lignes {first} et "
                    f"{second}) : gardez-en une seule",
                )
            )
    return found


PUBLICATION_STATUSES = ("published", "draft", "hidden")


def status_problems(file: SourceFile) -> list[Problem]:
    """A bulletin's or page's ``Status`` that Pelican does not know (it would skip it)."""
    raw = (file.raw("status") or "").strip()
    if not raw or raw.lower() in PUBLICATION_STATUSES:
        return []
    return [
        Problem(
            file.path,
            file.line("status"),
            f"statut de publication inconnu « {raw} » : écrivez draft (brouillon, non publié), "
            "hidden (publié sans figurer dans les listes) ou retirez la ligne",
        )
    ]


@dataclass(frozen=True)
class Around:
    """What the checks of one file read besides the file: plain data, so that a pool
    worker can run them (``file_checks``)."""

    table: Mapping[str, Series]
    page_ids: tuple[str, ...]  # the templates' own ids (base.html, article.html)
    groups: Mapping[str, Any]
    embed_hosts: frozenset[str]
    root: Path  # content/
    langs: Mapping[str, str | None]  # the language of every loaded file


def own_problems(file: SourceFile, around: Around) -> list[Problem]:
    """The problems of one bulletin that depend on its own text and HTML only."""
    found = check_file(
        file.path,
        file.text,
        file.metadata,
        around.table,
        series_folder(file),
        file.html,
        around.page_ids,
        around.embed_hosts,
    )
    return found + marker_problems(file.path, file.text, around.groups)


def page_problems(file: SourceFile, around: Around) -> list[Problem]:
    """Every problem of one page on its own."""
    found = check_page(file.path, file.text) + rendered_problems(file, around)
    if file.text.strip() and not (file.raw("title") or "").strip():
        found.append(missing_metadata_problem(file.path, file.text, "title"))
    found += check_targets(
        file.path, file.text, Path(file.source_path), around.root, False, around.langs, file.html
    )
    return found


def body_problems(file: SourceFile, around: Around) -> list[Problem]:
    """A meeting's or a budget update's body, shown on its page as Markdown made it:
    the raw HTML, addresses and links of a page; no image, no internal link."""
    meeting = file.relative.startswith(MEETINGS_DIR + "/")
    kind = "une rencontre" if meeting else "une mise à jour budgétaire"
    found = check_links(file.path, file.text) + placeholder_problems(file.path, file.text)
    found += scheme_problems(file.path, file.text) + check_raw_html(file.path, file.text)
    found += rendered_problems(file, around)
    return found + unpublished_targets(file.path, file.text, kind, file.html)


def rendered_problems(file: SourceFile, around: Around) -> list[Problem]:
    """The problems of a file's HTML (the allowlist, ids, embeds), each on its line."""
    lines = [heading.line for heading in headings(file.text)]
    return check_rendered_html(
        file.path, file.html, body_lines(file.text), lines, embed_hosts=around.embed_hosts
    )


# The checks of one file, by the name the memo keeps their result under.
BULLETIN, TARGETS, PAGE, BODY = "bulletin", "targets", "page", "body"


def one_check(kind: str, file: SourceFile, around: Around) -> Any:
    """One check of one file: ``BULLETIN``, its problems and its entry for the checks
    across files; ``TARGETS``, its links and images; ``PAGE``, a page's problems;
    ``BODY``, a meeting's or a budget update's."""
    if kind == BULLETIN:
        entry = entry_of(file.path, file.text, file.metadata, around.table)
        return own_problems(file, around), entry
    if kind == TARGETS:
        return check_targets(
            file.path, file.text, Path(file.source_path), around.root, True, around.langs, file.html
        )
    if kind == BODY:
        return body_problems(file, around)
    return page_problems(file, around)


_around: list[Around] = []  # what a pool worker's checks read, sent once (``checking``)


def checking(around: Around) -> None:
    """Pool setup (and here, before jobs run here): what every check reads."""
    _around[:] = [around]


def file_checks(job: tuple[SourceFile, tuple[str, ...]]) -> tuple[Any, ...]:
    """Pool job: the checks ``kinds`` of one file, each one's result in order."""
    file, kinds = job
    return tuple(one_check(kind, file, _around[0]) for kind in kinds)


# Below this many files to check, starting processes costs more than it saves.
MIN_POOL_FILES = 32
# Files per task sent to a worker.
CHECKS_CHUNK = 8


def run_checks(wanted: list[tuple[str, SourceFile]], around: Around, workers: int) -> list[Any]:
    """The result of each (check, file) of ``wanted``, in order, in a pool of
    ``workers`` when many files are to be checked (a first build: about 1 s on one
    core at 1,000 bulletins). Each file goes to a worker once, with its checks.

    A check that raised in a worker runs again here, to raise here as it would have.
    """
    by_path: dict[str, tuple[SourceFile, list[str]]] = {}
    for kind, file in wanted:
        by_path.setdefault(file.path, (file, []))[1].append(kind)
    jobs = [(file, tuple(names)) for file, names in by_path.values()]
    results = run_jobs(
        file_checks,
        jobs,
        workers,
        setup=checking,
        setup_args=(around,),
        min_jobs=MIN_POOL_FILES,
        chunksize=CHECKS_CHUNK,
    )
    done: dict[tuple[str, str], Any] = {}
    for (file, names), result in zip(jobs, results, strict=True):
        if isinstance(result, JobFailure):
            checking(around)
            result = file_checks((file, names))
        done.update(((kind, file.path), one) for kind, one in zip(names, result, strict=True))
    return [done[(kind, file.path)] for kind, file in wanted]


def validate(model: ContentModel, settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem (and advice) of the loaded content, sorted by file and line.

    The results of one file's checks are kept between builds (``CheckMemo``):
    a rebuild checks again what changed, and what depends on it; a first build
    runs them in a pool (``run_checks``).
    """
    table = series_table(settings)
    page_ids = template_ids(settings)
    around = Around(
        table,
        page_ids,
        settings.get("GROUPS", {}),
        allowed_hosts(settings.get("EMBED_HOSTS")),
        model.root,
        model.langs(),
    )
    memo = CheckMemo(cache_root(settings), code_stamp(settings, repr(page_ids)))
    tree = tree_listing(model.root, around.langs)
    wanted = [(BULLETIN, file, "") for file in model.bulletins]
    wanted += [(TARGETS, file, tree) for file in model.bulletins]
    wanted += [(PAGE, file, tree) for file in model.pages]
    wanted += [(BODY, file, "") for file in model.meetings + model.budget]
    workers = worker_count(settings.get("MARKDOWN_JOBS"))
    results = memo.recall(wanted, lambda missing: run_checks(missing, around, workers))
    memo.save()
    count = len(model.bulletins)
    found: list[Problem] = list(model.problems)
    entries = []
    for own, entry in results[:count]:
        found += own
        entries.append(entry)
    for problems in results[count:]:
        found += problems
    found += across_files(entries, table)
    found += shared_attachments(model, settings.get("STATIC_PATHS", ()))
    for file in model.bulletins + model.pages:
        found += status_problems(file)
    for file in model.files():
        found += duplicate_metadata_problems(file)
    if model.catalogue is not None:
        found += model.catalogue.problems
    if model.history is not None:
        found += model.history.problems
    if model.wall is not None:
        action = Action.from_settings(settings)
        found += model.wall.problems
        for story in model.wall.stories:
            found += story_problems(story, action)
    return sorted_problems(found)


def shared_attachments(model: ContentModel, static_paths: Sequence[str]) -> list[Problem]:
    """A file one bulletin or page attaches (``{attach}``, or a link written from its
    folder) that another of the same language uses too: Pelican publishes an attached
    file beside one page only, and would refuse the build in English."""
    uses: dict[tuple[str | None, Path], dict[str, tuple[SourceFile, str, str]]] = {}
    for file in model.bulletins + model.pages:
        source = Path(file.source_path)
        for address, how, target in published_files(file.html, source, model.root, static_paths):
            uses.setdefault((file.lang, target), {}).setdefault(file.path, (file, address, how))
    found = []
    for (_, target), used in uses.items():
        if len(used) < 2 or all(how == "static" for _, _, how in used.values()):
            continue
        # The file's owner first: the bulletin or page in whose folder it is.
        first, *others = sorted(
            used.values(),
            key=lambda use: (Path(use[0].source_path).parent not in target.parents, use[0].path),
        )
        for file, address, _ in others:
            line = target_line(file.text, address)
            found.append(
                shared_attachment_problem(file.path, line, address, first[0].path, static_paths)
            )
    return found


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file, line and message (advice among them)."""
    return sorted(set(problems), key=by_place)


def by_place(problem: Problem) -> tuple[str, int, str]:
    """Sort key for problems and advice together: file, line, message."""
    return (problem.path, problem.line, problem.message)


def check_content(settings: Mapping[str, Any]) -> tuple[ContentModel, list[Problem]]:
    """Load content/ once and check everything: ``invoke check`` and the build."""
    model = load_content(settings)
    return model, validate(model, settings)
