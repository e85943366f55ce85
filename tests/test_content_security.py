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
SCRIPT = "le contenu publié ne peut pas contenir de script"
PIXEL = "data:image/png;base64,iVBORw0KGgo="
HOSTS = "player.vimeo.com, www.youtube-nocookie.com"


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
        '<iframe src="https://evil.example" title="Vidéo"></iframe>',
        f"intégration refusée : l'hôte « evil.example » n'est pas dans EMBED_HOSTS "
        f"(permis : {HOSTS}) ; mettez un lien vers la page, ou demandez qu'on ajoute cet "
        "hôte dans pelicanconf.py",
    ),
    "iframe over http": (
        '<iframe src="http://player.vimeo.com/video/1" title="Vidéo"></iframe>',
        "intégration refusée « http://player.vimeo.com/video/1 » : seule une adresse https "
        f"d'un des hôtes permis ({HOSTS}) peut être intégrée ; mettez un lien vers elle",
    ),
    "iframe running a script": (
        '<iframe src="javascript:alert(1)" title="Vidéo"></iframe>',
        "intégration refusée « javascript:alert(1) » : seule une adresse https "
        f"d'un des hôtes permis ({HOSTS}) peut être intégrée ; mettez un lien vers elle",
    ),
    "iframe without a title": (
        '<iframe src="https://player.vimeo.com/video/1"></iframe>',
        'intégration sans titre : ajoutez title="…" qui dit ce qu\'elle montre (lu par les '
        "lecteurs d'écran, et texte du lien dans le PDF et les fils)",
    ),
    "iframe with its own content": (
        '<iframe src="https://player.vimeo.com/video/1" title="Vidéo" '
        'srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "attribut « srcdoc » refusé sur <iframe> : le site publie l'intégration avec ses "
        "propres réglages (sandbox, chargement différé) ; retirez-le",
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
        "balise « form » refusée : le contenu publié ne contient pas de formulaire",
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
    """Scripts from the site's own files, and WebAssembly (the search's Pagefind) but
    no eval(): script-src is exactly 'self' 'wasm-unsafe-eval', nothing wider."""
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
        assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'"], page
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


# What YouTube's « Intégrer » button gives, as staff paste it.
VIDEO = "https://www.youtube-nocookie.com/embed/a1b2c3d4e5f"
VIDEO_TITLE = "Capsule vidéo des maisons des jeunes"
PASTED_EMBED = (
    f'<iframe width="560" height="315" src="{VIDEO}" title="{VIDEO_TITLE}" frameborder="0" '
    'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
    'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
    "allowfullscreen></iframe>"
)


@pytest.fixture(scope="module")
def site_with_embed(tmp_path_factory) -> Path:
    """The sample site with a YouTube video embedded in INFO-PSOC no 1."""
    import shutil

    root = tmp_path_factory.mktemp("embed")
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    text = (content / INFO).read_text(encoding="utf-8")
    # In its own paragraph, after the first section's first paragraph.
    first_heading = text.index("\n## ")
    paragraph_end = text.index("\n\n", text.index("\n\n", first_heading + 1) + 2)
    text = text[:paragraph_end] + "\n\n" + PASTED_EMBED + text[paragraph_end:]
    (content / INFO).write_text(text, encoding="utf-8")
    assert checked(content) == []
    return build_copy(content, root / "output").output


def test_an_embed_from_a_named_host_is_published_sandboxed_and_lazy(site_with_embed):
    from tests.conftest import read_html

    page = read_html(site_with_embed / "info-psoc/info-psoc-01/index.html")
    [frame] = page.find_all("iframe")
    assert frame["src"] == VIDEO
    assert frame["title"] == VIDEO_TITLE
    assert frame["loading"] == "lazy"
    assert set(frame["sandbox"]) == {
        "allow-scripts",
        "allow-same-origin",
        "allow-presentation",
        "allow-popups",
    }
    assert "frameborder" not in frame.attrs  # obsolete: the theme draws no border
    assert frame.find_parent("main") is not None
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["frame-src"].split() == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]


def test_a_site_without_embeds_allows_no_frame(built_site):
    from tests.conftest import read_html

    page = read_html(built_site / "index.html")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy


def test_an_embed_is_a_link_in_the_feeds(site_with_embed):
    import feedparser
    from bs4 import BeautifulSoup

    for name in ("flux/info-psoc.atom.xml", "flux/info-psoc.rss.xml", "flux/bulletins.rss.xml"):
        feed = feedparser.parse((site_with_embed / name).read_bytes())
        [entry] = [e for e in feed.entries if "/info-psoc-01/" in e.link]
        body = entry.content[0].value if "content" in entry else entry.description
        soup = BeautifulSoup(body, "html.parser")
        assert soup.find("iframe") is None, name
        link = soup.find("a", href=VIDEO)
        assert link is not None and link.get_text() == VIDEO_TITLE, name
        assert link.find_parent("p")["class"] == ["integration"]


def test_an_embed_is_a_link_with_its_address_in_the_pdf(site_with_embed):
    import pypdf

    from tests.test_pdf import INFO_FR, flat, page_texts

    text = flat(" ".join(page_texts(site_with_embed / INFO_FR, layout=False)))
    assert f"{VIDEO_TITLE} {VIDEO}" in text
    links = [
        annotation.get_object()["/A"].get("/URI")
        for page in pypdf.PdfReader(site_with_embed / INFO_FR).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert VIDEO in links


def test_the_page_with_an_embed_is_valid_html(site_with_embed, tmp_path):
    import shutil

    from tests.gates import tools
    from tests.gates.nu_checker import html_errors

    java, vnu = tools.java(), tools.vnu_jar()
    tools.require(java, vnu)
    page = tmp_path / "page"
    page.mkdir()
    shutil.copy(site_with_embed / "info-psoc/info-psoc-01/index.html", page / "index.html")
    assert html_errors(java.path, vnu.path, page) == []
