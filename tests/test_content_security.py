"""Hostile or pasted HTML is refused at load, on its line, by check and build alike."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from plugins.build import PROJECT_ROOT
from plugins.model import ContentError
from plugins.validation.commands import run_check
from tests.conftest import build_copy

CONF = PROJECT_ROOT / "pelicanconf.py"
INFO = Path("bulletins/info-psoc/01.md")
PAGE = Path("pages/a-propos.md")
SCRIPT = "le contenu d'un bulletin ne peut pas contenir de script"
PIXEL = "data:image/png;base64,iVBORw0KGgo="


def append(content: Path, name: Path, block: str) -> int:
    """Append ``block`` after a blank line; the line number of its first line."""
    path = content / name
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + block + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def checked(content: Path) -> list[str]:
    stream = io.StringIO()
    run_check(CONF, content, stream)
    return [line for line in stream.getvalue().splitlines() if line.startswith("content/")]


REFUSED = {
    "script": ("<script>alert(1)</script>", f"balise « script » refusée : {SCRIPT}"),
    "javascript link": (
        "[clic](javascript:alert(3))",
        "adresse refusée « javascript:alert(3) » : une adresse « javascript: » exécute un "
        "script ; seuls http, https, mailto, tel et les pages du site sont permis",
    ),
    "iframe": (
        '<iframe src="https://evil.example"></iframe>',
        "balise « iframe » refusée : un contenu d'un autre site ne peut pas être intégré "
        "à la page ; mettez un lien vers lui",
    ),
    "onerror": (
        f'<img src="{PIXEL}" alt="Logo" onerror="alert(2)">',
        f"attribut « onerror » refusé : {SCRIPT}",
    ),
    "object": (
        '<object data="film.swf"></object>',
        "balise « object » refusée : un contenu d'un autre site ne peut pas être intégré "
        "à la page ; mettez un lien vers lui",
    ),
    "embed": (
        '<embed src="film.swf">',
        "balise « embed » refusée : un contenu d'un autre site ne peut pas être intégré "
        "à la page ; mettez un lien vers lui",
    ),
    "form": (
        '<form action="https://evil.example/vol">Mot de passe</form>',
        "balise « form » refusée : un bulletin ne contient pas de formulaire",
    ),
    "style expression": (
        '<p style="width: expression(alert(1))">Texte.</p>',
        "style refusé « width: expression(alert(1)) » : seuls text-align, vertical-align, "
        "width et height sont permis (la mise en forme vient du thème)",
    ),
    "vbscript link": (
        "[lien](vbscript:msgbox(1))",
        "adresse refusée « vbscript:msgbox(1) » : une adresse « vbscript: » exécute un "
        "script ; seuls http, https, mailto, tel et les pages du site sont permis",
    ),
    "data link": (
        "[lien](data:text/html;base64,PHNjcmlwdD4=)",
        "adresse refusée « data:text/html;base64,PHNjcmlwdD4= » : seuls les liens http, "
        "https, mailto, tel et les pages du site sont permis",
    ),
    "file link": (
        '<a href="file:///etc/passwd">mots de passe</a>',
        "adresse refusée « file:///etc/passwd » : seuls les liens http, https, mailto, tel "
        "et les pages du site sont permis",
    ),
    "attribute list": (
        'Un paragraphe.\n{: onclick="alert(1)" }',
        f"attribut « onclick » refusé : {SCRIPT}",
    ),
}


@pytest.mark.parametrize("construct", list(REFUSED))
def test_each_hostile_construct_is_refused_on_its_line(construct, project_copy):
    block, message = REFUSED[construct]
    line = append(project_copy, INFO, block)
    where = line + 1 if construct == "attribute list" else line
    assert checked(project_copy) == [f"content/{INFO}:{where}: {message}"]


def test_a_page_cannot_carry_a_script_either(project_copy):
    line = append(project_copy, PAGE, "<script>alert(1)</script>")
    assert checked(project_copy) == [f"content/{PAGE}:{line}: balise « script » refusée : {SCRIPT}"]


def test_the_build_refuses_them_all_at_once_and_keeps_the_previous_site(project_copy, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("ancien site", encoding="utf-8")
    for block, _ in REFUSED.values():
        append(project_copy, INFO, block)
    with pytest.raises(ContentError) as failure:
        build_copy(project_copy, output)
    messages = [problem.message for problem in failure.value.problems]
    for _, message in REFUSED.values():
        assert message in messages
    assert [str(p) for p in failure.value.problems] == checked(project_copy)
    assert (output / "index.html").read_text(encoding="utf-8") == "ancien site"


def test_allowed_html_and_links_pass(project_copy):
    append(
        project_copy,
        INFO,
        '<figure><img src="' + PIXEL + '" alt="Carte"><figcaption>La carte</figcaption>'
        "</figure>\n\n"
        '<p>Voir <abbr title="Programme de soutien aux organismes communautaires">PSOC</abbr>'
        ', 25 M<sup>$</sup>, <a href="mailto:financementocasss@gmail.com">écrire</a>, '
        '<a href="tel:+15148441309">appeler</a>.</p>\n\n'
        "| Année | Montant |\n| :--- | ---: |\n| 2017 | 25 |",
    )
    assert checked(project_copy) == []


def test_every_page_allows_scripts_from_the_site_only_and_has_none_inline(built_site):
    from bs4 import BeautifulSoup

    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, page
        directives = dict(
            part.strip().split(" ", 1) for part in policy["content"].split(";") if part.strip()
        )
        assert directives["script-src"] == "'self'", page
        assert directives["object-src"] == "'none'", page
        for script in soup.find_all("script"):
            assert script.get("src"), f"{page}: inline script"
        for tag in soup.find_all(True):
            assert not [name for name in tag.attrs if name.startswith("on")], (page, tag.name)


def test_html_comments_are_neither_tags_nor_refused(project_copy):
    append(
        project_copy, INFO, "<!-- note pour l'équipe : relire avant l'envoi -->\n\n<p>Texte.</p>"
    )
    assert checked(project_copy) == []
