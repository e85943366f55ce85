"""Deterministic synthetic content: N bulletins, meetings and budget updates.

Sentences come from the real documents in ``../shared/seeds/`` so the text has
the length, accents and punctuation of real bulletins. The same seed and N
always write the same files.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"

# One bulletin in ENGLISH_SHARE also gets an English twin.
ENGLISH_SHARE = 0.2
# Meetings and budget updates per bulletin, as in the real archive.
MEETINGS_PER_BULLETIN = 0.2
BUDGETS_PER_BULLETIN = 0.04

# Campaign schedules embed the working group's meetings, like the seed bulletin.
SCHEDULE_SECTIONS = ("L'échéancier du groupe de travail", "The working group's schedule")
SCHEDULE_SHARE = 0.5
# Every generated meeting is in the past.
PAST_STATUSES = ("tenue", "reportée", "annulée")

EXTRA_SECTIONS_FR = [
    "Les stratégies du printemps",
    "À propos de la campagne",
    "Bilan de la mobilisation régionale",
    "Prochaines étapes",
    "Nouvelles des régions",
    "Revendications à l'approche des élections",
    "Échos de l'Assemblée nationale",
    "Rôle des CISSS et des CIUSSS",
]
EXTRA_SECTIONS_EN = [
    "Spring strategies",
    "About the campaign",
    "Review of the regional mobilization",
    "Next steps",
    "News from the regions",
    "Demands ahead of the elections",
    "Echoes from the National Assembly",
    "Role of the CISSS and CIUSSS",
]
ENGLISH_SENTENCES = [
    "The CTROC attended the lock-up preceding the release of the provincial budget.",
    "Community organizations in health and social services keep asking for fair funding.",
    "The working group met again with representatives of the MSSS to discuss the PSOC.",
    "Regional tables organized gatherings across Quebec to remind the government of its duty.",
    "We will keep you informed as soon as a new meeting is scheduled.",
    "The overall PSOC envelope must grow to reduce the gaps between organizations.",
    "Members are invited to share this bulletin with their networks.",
    "The minister has not yet said how the amounts will be distributed in the regions.",
]
TABLE_HEADERS = {
    "fr": ("Rencontre", "Date", "Objectifs de la rencontre"),
    "en": ("Meeting", "Date", "Objectives of the meeting"),
}


@dataclass(frozen=True)
class GeneratedSite:
    """Where the synthetic content was written and what it holds."""

    content: Path
    bulletins: list[Path]
    english: int
    meetings: int
    budgets: int


def prose_sources(seeds: Path = SEEDS) -> list[str]:
    """The seed documents, or where a clone has none beside it, the French bodies of
    the sample content made from them (``content/``)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if texts:
        return texts
    files = sorted((PROJECT_ROOT / "content").rglob("*.md"))
    return [
        p.read_text(encoding="utf-8").partition("\n\n")[2]
        for p in files
        if not p.name.endswith(".en.md") and p.name.lower() != "readme.md"
    ]


def seed_sentences(seeds: Path = SEEDS) -> list[str]:
    """Every sentence of the seed documents long enough to read like prose."""
    text = " ".join(prose_sources(seeds))
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀÉÈÊÎÔÇ«])", text)
    return [
        s.strip()
        for s in sentences
        if 60 <= len(s) <= 400 and not re.search(r"[#|*_`<>\[\]{}]|^\d", s.strip())
    ]


def paragraph(rng: random.Random, sentences: list[str], low: int = 2, high: int = 5) -> str:
    return " ".join(rng.choice(sentences) for _ in range(rng.randint(low, high)))


def schedule_table(rng: random.Random, lang: str, start: date, sentences: list[str]) -> str:
    """A Markdown table of meetings like the seed campaign bulletin's schedule."""
    header = TABLE_HEADERS[lang]
    rows = [f"| {' | '.join(header)} |", "| --- | --- | --- |"]
    for number in range(1, rng.randint(3, 6) + 1):
        when = start + timedelta(days=30 * number)
        objective = rng.choice(sentences).replace("|", "/")
        rows.append(f"| {header[0]} {number} | {when.isoformat()} | {objective} |")
    return "\n".join(rows)


def section_ids(titles: list[str]) -> list[str]:
    """Stable heading ids shared by a bulletin and its twin."""
    return [f"s{index}" for index, _ in enumerate(titles, start=1)]


def bulletin_text(
    rng: random.Random,
    *,
    lang: str,
    series: str,
    required: list[str],
    extra: list[str],
    title: str,
    day: date,
    number: int | None,
    key: str,
    sentences: list[str],
    extra_count: int,
    table_at: int,
    marker_sections: tuple[str, ...] = (),
) -> str:
    """One bulletin: metadata, an introduction, required sections, one table."""
    titles = required + extra[:extra_count]
    ids = section_ids(titles)
    meta = [f"Title: {title}", f"Date: {day.isoformat()}", f"Series: {series}"]
    if number is not None:
        meta.append(f"Number: {number}")
    meta += [f"Lang: {lang}", f"Translation: {key}", f"Summary: {rng.choice(sentences)}"]
    body = [paragraph(rng, sentences)]
    for index, (heading, anchor) in enumerate(zip(titles, ids, strict=True)):
        body.append(f"## {heading} {{#{anchor}}}")
        for _ in range(rng.randint(1, 3)):
            body.append(paragraph(rng, sentences))
        if index == table_at:
            body.append(schedule_table(rng, lang, day, sentences))
        if heading in marker_sections:
            body.append("[[calendrier gt-financement]]")
        if rng.random() < 0.3:
            body.append("\n".join(f"- {rng.choice(sentences)}" for _ in range(3)))
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def meeting_text(rng: random.Random, number: int, day: date, group: str, sentences) -> str:
    """A meeting file shaped like content/reunions/<group>/*.md."""
    start = rng.choice([9, 10, 13, 14])
    status = rng.choices(PAST_STATUSES, weights=(85, 5, 10))[0]
    minutes = f"\n## Compte rendu\n\n{paragraph(rng, sentences)}\n" if status == "tenue" else ""
    return (
        f"Title: Rencontre {number} du groupe {group}\n"
        f"Date: {day.isoformat()} {start:02d}:00\n"
        f"End: {day.isoformat()} {start + 3:02d}:00\n"
        f"Group: {group}\n"
        f"Number: {number}\n"
        f"Location: Montréal, {rng.randint(100, 9000)} rue Sainte-Catherine Est\n"
        f"Status: {status}\n\n"
        f"## Objectifs\n\n{paragraph(rng, sentences, 1, 2)}\n{minutes}"
    )


def budget_text(rng: random.Random, year: int, sentences) -> str:
    demand = rng.choice([225, 355, 370, 475])
    announced = rng.randint(5, 120)
    return (
        f"Title: Budget provincial {year}-{year + 1}\n"
        f"Date: {year}-03-{rng.randint(10, 28):02d}\n"
        f"Fiscal_year: {year}-{year + 1}\n"
        f"Demanded: {demand}\n"
        f"Announced: {announced}\n"
        f"Added: {round(announced * rng.uniform(0.2, 1.0), 1)}\n"
        f"Years: {rng.randint(1, 5)}\n"
        f"Source: Budget du Québec {year}-{year + 1}\n\n"
        f"{paragraph(rng, sentences)}\n"
    )


def generate_site(
    target: Path, n: int = 1000, seed: int = 2013, settings: dict | None = None
) -> GeneratedSite:
    """Write N bulletins (both series, some English twins) and the pages into ``target``.

    ``settings`` are the project's (SERIES, GROUPS); the required sections of
    every series and language are present and non-empty so the strict build
    passes. Meetings and budget updates are added in proportion.
    """
    from pelican.settings import read_settings

    settings = settings or read_settings(str(PROJECT_ROOT / "pelicanconf.py"))
    rng = random.Random(seed)
    sentences = seed_sentences()
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(PROJECT_ROOT / "content" / "pages", target / "pages")
    series = settings["SERIES"]
    written: list[Path] = []
    english = 0
    numbers = {name: 0 for name in series}
    day = date(2010, 1, 4)
    for index in range(n):
        name = list(series)[index % len(series)]
        spec = series[name]
        day += timedelta(days=rng.randint(1, 3))
        if spec["numbered"]:
            numbers[name] += 1
            number = numbers[name]
            key, stem = f"{name}-{number:02d}", f"{number:02d}"
        else:
            number, key, stem = None, f"{name}-{day.isoformat()}", day.isoformat()
        extra_count = rng.randint(max(0, 4 - 3), 5)
        table_at = rng.randrange(3 + extra_count)
        twin = rng.random() < ENGLISH_SHARE
        langs = ["fr", "en"] if twin else ["fr"]
        state = rng.getstate()
        for lang in langs:
            rng.setstate(state)  # both languages have the same shape
            label = spec["short_title"][lang]
            suffix = f"no {number}" if number else day.isoformat()
            title = f"{label} {suffix} : {rng.choice(sentences)[:70].rstrip(' ,;:')}"
            if lang == "en":
                title = f"{label} {'No. ' + str(number) if number else day.isoformat()}"
            text = bulletin_text(
                rng,
                lang=lang,
                series=name,
                required=spec["required_sections"][lang],
                extra=EXTRA_SECTIONS_FR if lang == "fr" else EXTRA_SECTIONS_EN,
                title=title,
                day=day,
                number=number,
                key=key,
                sentences=sentences if lang == "fr" else ENGLISH_SENTENCES,
                extra_count=extra_count,
                table_at=table_at,
                marker_sections=SCHEDULE_SECTIONS if rng.random() < SCHEDULE_SHARE else (),
            )
            path = target / "bulletins" / name / (f"{stem}.en.md" if lang == "en" else f"{stem}.md")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        english += twin
    meetings = write_meetings(target, rng, int(n * MEETINGS_PER_BULLETIN), settings, sentences)
    budgets = write_budgets(target, rng, max(1, int(n * BUDGETS_PER_BULLETIN)), sentences)
    return GeneratedSite(target, written, english, meetings, budgets)


def write_meetings(target: Path, rng, count: int, settings: dict, sentences) -> int:
    groups = list(settings["GROUPS"])
    folder = target / "reunions"
    folder.mkdir(parents=True, exist_ok=True)
    day = date(2012, 1, 9)
    for index in range(count):
        group = groups[index % len(groups)]
        day += timedelta(days=rng.randint(1, 10))
        number = index // len(groups) + 1
        path = folder / group / f"{day.isoformat()}-rencontre-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(meeting_text(rng, number, day, group, sentences), encoding="utf-8")
    return count


def write_budgets(target: Path, rng, count: int, sentences) -> int:
    folder = target / "budget"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        year = 2000 + index
        path = folder / f"{year}-{year + 1}.md"
        path.write_text(budget_text(rng, year, sentences), encoding="utf-8")
    return count
