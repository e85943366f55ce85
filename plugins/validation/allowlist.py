"""The HTML a bulletin or a page may carry, and why anything else is refused.

The allowlist is enforced by ``nh3`` (the binding of the ``ammonia`` sanitiser):
each tag of a rendered file goes through it, and whatever it would remove (the
tag itself, an attribute, a link's address, a style property) is *refused*
with a French reason, on the line where it is written, never silently
dropped. A rendered file is walked tag by tag in ``html_rules``.
"""

from __future__ import annotations

import html
import re

import nh3

from plugins.content.embeds import PASTED_ATTRIBUTES, attributes_of, host_of

# What bulletins are made of, and what Markdown and its extensions write.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small "
    "span strong sub sup table tbody td tfoot th thead time tr u ul".split()
)
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "style"}
ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "align"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Links lead to the web, to an address or a phone; images may also be data: URLs.
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
IMAGE_SCHEMES = LINK_SCHEMES | {"data"}
# What a style attribute may set: the alignment Markdown's tables write, and sizes.
STYLE_PROPERTIES = {"text-align", "vertical-align", "width", "height"}

SCRIPTING = {"script", "noscript", "template"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet"}
EMBED_SCHEMES = {"https"}
FORMS = {"form", "input", "button", "select", "textarea", "option", "label", "fieldset"}
_URL_ATTRIBUTES = {"href", "src", "cite"}
CHECKED_AT_THE_SOURCE = {("a", "href"), ("img", "src")}


def clean(fragment: str, schemes: set[str]) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=schemes,
        link_rel=None,
        strip_comments=False,
        filter_style_properties=STYLE_PROPERTIES,
    )


# A table's parts mean nothing on their own: the HTML parser nh3 uses drops them.
CONTEXT = {
    "td": ("<table><tbody><tr>", "</tr></tbody></table>"),
    "th": ("<table><tbody><tr>", "</tr></tbody></table>"),
    "tr": ("<table><tbody>", "</tbody></table>"),
    "thead": ("<table>", "</table>"),
    "tbody": ("<table>", "</table>"),
    "tfoot": ("<table>", "</table>"),
    "caption": ("<table>", "</table>"),
    "colgroup": ("<table>", "</table>"),
    "col": ("<table><colgroup>", "</colgroup></table>"),
}
# What no style may hold, whatever nh3's parsing of it makes.
DANGEROUS_STYLE = re.compile(
    r"expression\s*\(|url\s*\(|javascript:|vbscript:|behavior|binding", re.I
)


def declarations(style: str) -> list[tuple[str, str]]:
    """``width: 10px; text-align:left`` as [("width", "10px"), ("text-align", "left")]."""
    found = []
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if name.strip():
            found.append((name.strip().lower(), " ".join(value.split()).lower()))
    return found


def refusals(
    name: str,
    attrs: dict[str, str | None],
    text: str,
    embed_hosts: frozenset[str] = frozenset(),
) -> list[str]:
    """Why the start tag ``text`` (``name`` with ``attrs``) may not be published, in
    French; empty when nh3 keeps it as written. The addresses of links and images
    are left to ``plugins.validation.targets``, which reads them where staff wrote
    them (Markdown or HTML). An ``<iframe>`` is accepted from ``embed_hosts`` only."""
    if name == "iframe":
        return iframe_refusals(attrs, embed_hosts)
    if name not in ALLOWED_TAGS:
        return [tag_refusal(name)]
    schemes = IMAGE_SCHEMES if name == "img" else LINK_SCHEMES
    before, after = CONTEXT.get(name, ("", ""))
    kept = attributes_of(name, clean(f"{before}{text}</{name}>{after}", schemes))
    found = []
    for attribute, value in attrs.items():
        if (name, attribute) in CHECKED_AT_THE_SOURCE:
            continue
        if attribute == "style" and attribute in kept:
            if declarations(value or "") == declarations(kept["style"] or "") and not (
                DANGEROUS_STYLE.search(value or "")
            ):
                continue
        elif attribute in kept and kept[attribute] == value:
            continue
        found.append(attribute_refusal(name, attribute, value or "", attribute in kept))
    return found


def iframe_refusals(attrs: dict[str, str | None], embed_hosts: frozenset[str]) -> list[str]:
    """Why an embed may not be published: its address is not an https one on a host
    of ``EMBED_HOSTS``, it has no title, or it carries what a pasted embed code does
    not (a script, its own content, a style)."""
    src = (attrs.get("src") or "").strip()
    host = host_of(src)
    hosts = ", ".join(sorted(embed_hosts)) or "aucun, EMBED_HOSTS est vide"
    if not src:
        found = ["balise « iframe » sans adresse : collez le code d'intégration complet (src=…)"]
    elif host is None or scheme_of(src) not in EMBED_SCHEMES:
        found = [
            f"intégration refusée « {shorten(src)} » : seule une adresse https d'un des hôtes "
            f"permis ({hosts}) peut être intégrée ; mettez un lien vers elle"
        ]
    elif host not in embed_hosts:
        found = [
            f"intégration refusée : l'hôte « {host} » n'est pas dans EMBED_HOSTS "
            f"(permis : {hosts}) ; mettez un lien vers la page, ou demandez qu'on ajoute "
            "cet hôte dans pelicanconf.py"
        ]
    else:
        found = []
    if not (attrs.get("title") or "").strip():
        found.append(
            'intégration sans titre : ajoutez title="…" qui dit ce qu\'elle montre '
            "(lu par les lecteurs d'écran, et texte du lien dans le PDF et les fils)"
        )
    for attribute, value in attrs.items():
        if attribute.startswith("on"):
            found.append(attribute_refusal("iframe", attribute, value or "", False))
        elif attribute not in PASTED_ATTRIBUTES:
            found.append(
                f"attribut « {attribute} » refusé sur <iframe> : le site publie l'intégration "
                "avec ses propres réglages (sandbox, chargement différé) ; retirez-le"
            )
    return found


def tag_refusal(name: str) -> str:
    if name in SCRIPTING:
        return f"balise « {name} » refusée : le contenu publié ne peut pas contenir de script"
    if name in EMBEDDING:
        return (
            f"balise « {name} » refusée : un contenu d'un autre site ne peut pas être intégré "
            "à la page ; mettez un lien vers lui"
        )
    if name in FORMS:
        return f"balise « {name} » refusée : le contenu publié ne contient pas de formulaire"
    if name == "style":
        return "balise « style » refusée : la mise en forme vient du thème du site"
    return (
        f"balise « {name} » refusée : elle n'est pas permise dans le contenu publié "
        "(voir la liste des balises permises dans le guide de rédaction)"
    )


def attribute_refusal(tag: str, attribute: str, value: str, partly: bool) -> str:
    """``partly``: nh3 keeps the attribute but changes its value (a style property)."""
    if attribute.startswith("on"):
        return f"attribut « {attribute} » refusé : le contenu publié ne peut pas contenir de script"
    if attribute in _URL_ATTRIBUTES:
        return f"adresse refusée « {shorten(value)} » : {scheme_reason(value, tag == 'img')}"
    if attribute == "style" or partly:
        return (
            f"style refusé « {shorten(value)} » : seuls text-align, vertical-align, width et "
            "height sont permis (la mise en forme vient du thème)"
        )
    return (
        f"attribut « {attribute} » refusé sur <{tag}> : il n'est pas permis dans le contenu publié"
    )


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def scheme_of(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (entities decoded, case folded)."""
    decoded = html.unescape(url)
    decoded = "".join(c for c in decoded if c.isprintable() and not c.isspace())
    match = _SCHEME.match(decoded)
    return match.group(1).lower() if match else None


def scheme_reason(url: str, image: bool = False) -> str:
    allowed = "http, https, mailto, tel" + (", data" if image else "")
    scheme = scheme_of(url)
    if scheme in ("javascript", "vbscript"):
        return (
            f"une adresse « {scheme}: » exécute un script ; seuls {allowed} et les pages "
            "du site sont permis"
        )
    return f"seuls les liens {allowed} et les pages du site sont permis"


def link_refusal(url: str) -> str | None:
    """Why a link's address (Markdown or HTML) may not be published, or None."""
    scheme = scheme_of(url)
    if scheme is None or scheme in LINK_SCHEMES:
        return None
    return f"adresse refusée « {shorten(url)} » : {scheme_reason(url)}"


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
