"""Check results kept between builds never hide a change another file makes."""

from __future__ import annotations

import io
from pathlib import Path

from plugins.build import PROJECT_ROOT
from plugins.validation.commands import run_check

CONF = PROJECT_ROOT / "pelicanconf.py"
INFO = Path("bulletins/info-psoc/01.md")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def problems(content: Path) -> list[str]:
    stream = io.StringIO()
    run_check(CONF, content, stream)
    return [line for line in stream.getvalue().splitlines() if line.startswith("content/")]


def append(content: Path, line: str) -> int:
    path = content / INFO
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.splitlines())


def test_a_link_target_created_after_a_check_is_found_by_the_next(project_copy):
    line = append(project_copy, "Voir [le calendrier]({filename}/pages/calendrier.md).")
    assert [p.split(": ")[1].strip() for p in problems(project_copy)] == [
        "lien interne introuvable « pages/calendrier.md »"
    ]
    (project_copy / "pages" / "calendrier.md").write_text(
        "Title: Calendrier\nSlug: calendrier\n\nTexte.\n", encoding="utf-8"
    )
    assert problems(project_copy) == []
    (project_copy / "pages" / "calendrier.md").unlink()
    assert problems(project_copy)[0].startswith(f"content/{INFO}:{line}: lien interne introuvable")


def test_an_image_replaced_by_a_broken_file_is_found_by_the_next_check(project_copy):
    (project_copy / "images").mkdir(exist_ok=True)
    image = project_copy / "images" / "carte.png"
    image.write_bytes(PNG)
    line = append(project_copy, "![Carte des régions]({static}/images/carte.png)")
    assert problems(project_copy) == []
    image.write_bytes(b"ceci n'est pas une image, mais un texte plus long")
    assert problems(project_copy) == [
        f"content/{INFO}:{line}: image illisible « images/carte.png » : format inconnu ou "
        "fichier endommagé ; enregistrez-la en PNG ou en JPEG"
    ]


def test_a_linked_page_that_changes_language_is_found_by_the_next_check(project_copy):
    line = append(project_copy, "Voir [les membres]({filename}/pages/membres.md).")
    assert problems(project_copy) == []
    page = project_copy / "pages" / "membres.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Lang: fr", "Lang: en"))
    assert any(
        p.startswith(
            f"content/{INFO}:{line}: lien interne vers « pages/membres.md », un fichier "
            "en langue « en »"
        )
        for p in problems(project_copy)
    )
