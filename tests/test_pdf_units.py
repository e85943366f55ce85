"""Small promises of the PDF edition's pure functions."""

from __future__ import annotations

import logging

from plugins.model import PdfEdition
from plugins.pdf_edition import editions
from plugins.pdf_edition.document import css_string, page_counter_content
from plugins.pdf_edition.editions import render_all, render_count_message, resources_digest
from plugins.pdf_edition.render import RenderResult


def test_log_line_counts_rendered_and_cached_in_french():
    assert render_count_message("fr", 1, 41) == "PDF (fr) : 1 rendu, 41 en cache"
    assert render_count_message("fr", 0, 3) == "PDF (fr) : 0 rendu, 3 en cache"
    assert render_count_message("en", 42, 0) == "PDF (en) : 42 rendus, 0 en cache"


def test_footer_words_come_from_the_catalogue_around_css_counters():
    assert page_counter_content("Page {page} de {pages}") == (
        '"Page " counter(page) " de " counter(pages)'
    )
    assert page_counter_content("{page}/{pages}") == 'counter(page) "/" counter(pages)'
    assert css_string('a "b" \\ </style>') == '"a \\"b\\" \\\\ \\3c /style>"'


def test_changing_an_image_changes_the_cache_key_input(tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(b"first")
    resources = {image.as_uri(): "/images/photo.png"}
    before = resources_digest(resources, tmp_path.as_uri() + "/")
    image.write_bytes(b"second")
    assert resources_digest(resources, tmp_path.as_uri() + "/") != before
    remote = {"https://example.com/x.png": "https://example.com/x.png"}
    assert resources_digest(remote, tmp_path.as_uri() + "/") == resources_digest({}, "")


def test_long_runs_log_a_progress_line(monkeypatch, caplog):
    monkeypatch.setattr(editions, "PROGRESS_EVERY_SECONDS", 0.0)
    jobs = [f"job-{n}" for n in range(3)]
    with caplog.at_level(logging.INFO, logger="bulletins"):
        results = render_all(jobs, workers=1, render=lambda job: RenderResult(job, pages=1))
    assert [r.target for r in results] == jobs
    lines = [r.getMessage() for r in caplog.records if r.name == "bulletins"]
    assert lines[0].startswith("PDF : 1 sur 3 rendus")


def plan_for(tmp_path, markdown: str, resources: dict[str, str]) -> editions.Plan:
    job = editions.RenderJob("", "", "", "", (), str(tmp_path / "x.pdf"), b"")
    return editions.Plan(
        source="bulletins/info-psoc/05.md",
        text=markdown,
        edition=PdfEdition("x.pdf", tmp_path / "x.pdf", 0),
        job=job,
        cached=tmp_path / "cached.pdf",
        resources=resources,
    )


def test_image_without_alt_text_becomes_a_french_problem_on_its_line(tmp_path):
    plan = plan_for(
        tmp_path,
        "Title: x\n\nTexte.\n\n![](/images/photo.png)\n",
        {"file:///c/photo.png": "/images/photo.png"},
    )
    problem = editions.error_problem(
        plan, 'Image "file:///c/photo.png" has no required alt description'
    )
    assert problem.line == 5
    assert problem.message.startswith(
        "image « /images/photo.png » sans texte de remplacement : ajoutez une description"
    )
    assert "alt description" not in problem.message


def test_unreadable_image_keeps_the_generic_message(tmp_path):
    plan = plan_for(
        tmp_path, "![Photo](/images/photo.png)\n", {"file:///c/photo.png": "/images/photo.png"}
    )
    problem = editions.error_problem(
        plan, "Failed to load image at 'file:///c/photo.png': cannot identify image file"
    )
    assert (problem.line, problem.message) == (
        1,
        "ressource illisible dans l'édition PDF : « /images/photo.png » "
        "(image illisible : format inconnu ou fichier endommagé)",
    )
