"""Links, images and pages: what `invoke check` and the build report the same, once."""

from __future__ import annotations

from pathlib import Path

from plugins.validation.targets import check_targets, placeholder_problems
from tests.test_validation_e2e import INFO, edit, invoke

PAGE = Path("pages/a-propos.md")
MISSING_LINK = (
    "lien interne introuvable « pages/membre.md » : vérifiez le chemin du fichier visé "
    "(par exemple {filename}/pages/membres.md)"
)


def add_line(content: Path, name: Path, line: str) -> int:
    """Append ``line`` to a content file; returns its line number."""
    path = content / name
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.splitlines())


def test_filename_targets_resolve_from_the_root_or_beside_the_file(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "b.md").write_text("x", encoding="utf-8")
    source = content / "pages" / "a.md"
    text = "Title: a\n\n[ok]({filename}/pages/b.md) [ok]({filename}b.md) [no]({filename}/b.md)\n"
    problems = check_targets("content/pages/a.md", text, source, content)
    assert [p.message.split(" : ")[0] for p in problems] == ["lien interne introuvable « b.md »"]


def test_images_outside_the_site_are_refused_on_their_line(tmp_path):
    text = "Title: a\n\n![a](https://example.com/l.png)\n<img src='file:///etc/passwd' alt='x'>\n"
    problems = check_targets("a.md", text, tmp_path / "a.md", tmp_path)
    assert [(p.line, p.message.split("(")[-1]) for p in problems] == [
        (
            3,
            "les ressources distantes ne sont jamais téléchargées ; copiez le fichier "
            "dans content/)",
        ),
        (4, "ce fichier est hors du site)"),
    ]


def test_reference_and_html_placeholders_are_reported():
    text = 'Title: a\n\nVoir [ref][r] et <a href="#">là</a>.\n\n[r]: #\n'
    assert [(p.line, p.message.split(" : ")[0]) for p in placeholder_problems("a.md", text)] == [
        (3, 'lien provisoire « href="#" »'),
        (5, "lien provisoire « [r]: # »"),
    ]


def test_check_reports_what_the_build_refuses_in_bulletins_and_pages(project_copy):
    line = add_line(
        project_copy,
        INFO,
        "[x]({filename}/pages/membre.md) ![b](https://example.com/logo.png) "
        "![c](file:///etc/passwd)",
    )
    edit(project_copy, PAGE, "Translation: about", "Translation: about\nDate: 2017-13-45")
    page_line = add_line(project_copy, PAGE, '[ici](#) <a href="#">là</a>')
    result = invoke("check", "--content", str(project_copy))
    assert result.returncode == 1
    out = result.stdout
    assert f"content/bulletins/info-psoc/01.md:{line}: {MISSING_LINK}" in out
    assert f"01.md:{line}: ressource refusée dans l'édition PDF : « https://example.com" in out
    assert f"01.md:{line}: ressource refusée dans l'édition PDF : « file:///etc/passwd »" in out
    assert "content/pages/a-propos.md:5: date impossible « 2017-13-45 »" in out
    assert f"content/pages/a-propos.md:{page_line}: lien provisoire « [ici](#) »" in out
    assert f'content/pages/a-propos.md:{page_line}: lien provisoire « href="#" »' in out


def test_build_reports_a_missing_link_once(project_copy):
    from tests.test_validation_e2e import build_problems

    line = add_line(project_copy, INFO, "[x]({filename}/pages/membre.md)")
    problems = build_problems(project_copy)
    on_line = [p for p in problems if p[1] == line]
    assert on_line == [("bulletins/info-psoc/01.md", line, MISSING_LINK)]


def test_check_of_a_missing_content_folder_is_one_french_line(tmp_path):
    result = invoke("check", "--content", str(tmp_path / "nonexistent"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == (
        f"dossier de contenu introuvable : {tmp_path / 'nonexistent'} ; rien n'a été vérifié."
    )


def test_check_gives_the_line_of_a_byte_that_is_not_utf8(project_copy):
    (project_copy / "bulletins/info-psoc/02.md").write_bytes(
        b"Title: Ete\nDate: 2017-06-01\nSeries: info-psoc\nNumber: 2\n\n## \xc9t\xe9\n"
    )
    result = invoke("check", "--content", str(project_copy))
    assert (
        "content/bulletins/info-psoc/02.md:6: impossible de lire ce fichier : le fichier n'est "
        "pas en UTF-8 (octet invalide ligne 6) ; enregistrez-le en UTF-8"
    ) in result.stdout


def other_language(written: str, lang: str, own: str) -> str:
    return (
        f"lien interne vers « {written} », un fichier en langue « {lang} » : le site « {own} » "
        f"ne le publie pas ; liez sa traduction en langue « {own} »"
    )


def test_build_refuses_links_to_the_other_language_once_in_each_direction(project_copy):
    from tests.test_validation_e2e import INFO_EN, build_problems

    edit(project_copy, INFO_EN, "{filename}/pages/members.md", "{filename}/pages/membres.md")
    edit(project_copy, INFO, "{filename}/pages/membres.md", "{filename}/pages/members.md")
    problems = build_problems(project_copy)
    assert sorted(p for p in problems if "langue" in p[2]) == [
        ("bulletins/info-psoc/01.en.md", 95, other_language("pages/membres.md", "fr", "en")),
        ("bulletins/info-psoc/01.md", 95, other_language("pages/members.md", "en", "fr")),
    ]


def test_check_refuses_a_page_linking_the_other_language(project_copy):
    edit(project_copy, PAGE, "{filename}/pages/membres.md", "{filename}/pages/members.md")
    result = invoke("check", "--content", str(project_copy))
    assert result.returncode == 1
    assert (
        f"content/pages/a-propos.md:17: {other_language('pages/members.md', 'en', 'fr')}"
    ) in result.stdout.splitlines()
