"""French first, English through gettext: catalogues, Babel formats, twins.

- compiles ``theme/translations/<lang>/LC_MESSAGES/*.po`` into one ``.mo`` per language (the
  ``.mo`` files are build products, never committed) and installs them in
  the Jinja environment of the language being built;
- adds Babel filters (dates, numbers, file sizes) that never use the system
  locale;
- joins each bulletin or page to its twin in the other language through the
  ``Translation`` key, for ``hreflang`` links and the language switcher (the
  twins come from the loaded model: each sub-site reads only its own files);
- adds the ``href`` filter every template links with (``{{ article.url | href }}``,
  ``{{ twin.path | href(twin.lang) }}``: plugins.addresses.SiteLinks).
"""

from __future__ import annotations

from jinja2 import pass_context
from pelican import signals

from plugins.addresses import SiteLinks, absolute_base, without_index
from plugins.i18n.catalogues import compile_catalogues, translations_for
from plugins.i18n.formatting import jinja_filters
from plugins.i18n.twins import Twin, attach_twins


def install_jinja_i18n(generator) -> None:
    """Install the sub-site's language in the generator's Jinja environment."""
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]
    compile_catalogues(settings["THEME"])
    generator.env.add_extension("jinja2.ext.i18n")
    generator.env.install_gettext_translations(
        translations_for(settings["THEME"], lang), newstyle=True
    )
    generator.env.filters.update(jinja_filters(lang))
    links = SiteLinks.of(settings)

    @pass_context
    def href(context, path: str, lang: str | None = None, root: bool = False) -> str:
        """``{{ article.url | href }}``: the link from the page being written (its
        ``SITEURL``) to a path of its sub-site, of ``lang``'s, or of the site's root."""
        return links.href(str(path), str(context.get("SITEURL", "")), lang, root)

    def same_page_elsewhere(path: str) -> list[Twin]:
        """Twins of a page every sub-site has (home, archives, calendar…)."""
        return [Twin(lang=code, path=path, title="") for code in links.siteurls if code != lang]

    generator.env.filters.update(href=href, without_index=without_index)
    generator.env.globals.update(
        LANG=lang,
        ABSOLUTE_SITEURL=absolute_base(settings),
        same_page_elsewhere=same_page_elsewhere,
    )


def register() -> None:
    signals.generator_init.connect(install_jinja_i18n)
    signals.content_object_init.connect(attach_twins)
