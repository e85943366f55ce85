"""Development settings of the Bulletins site.

Everything here is configuration, not code: a new series or a new group is a
new entry in SERIES or GROUPS. Production overrides live in publishconf.py.
"""

AUTHOR = "Coalition des Tables régionales d'organismes communautaires (CTROC)"
SITENAME = "Bulletins de la CTROC"
SITEURL = ""
# Each page links the others relatively, and a folder by its index.html, so output/
# opens from its files (double-click output/index.html, file://) as well as served;
# publishconf.py links the published site absolutely, by its folders (plugins/addresses.py).
RELATIVE_URLS = True
ORGANISATION = {
    "name": "Coalition des Tables régionales d'organismes communautaires",
    "short_name": "CTROC",
    "website": "https://www.ctroc.org",
    "email": "financementocasss@gmail.com",
    "phone": "514-844-1309",
}

PATH = "content"
THEME = "theme"
TIMEZONE = "America/Montreal"

# French is the site's language at the root; each entry of LANGUAGES is built
# as its own sub-site (see plugins/build). The settings of a language override
# the ones above during its sub-site's build.
DEFAULT_LANG = "fr"
LANGUAGES = {
    "fr": {
        "path": "",
        "locale": "fr_CA",
        "name": "Français",
        "overrides": {
            "FEEDS_DIR": "flux",
            "CALENDAR_DIR": "calendrier",
            "SEARCH_DIR": "recherche",
        },
    },
    "en": {
        "path": "en",
        "locale": "en_CA",
        "name": "English",
        "overrides": {
            "SITENAME": "CTROC Bulletins",
            "FEEDS_DIR": "feeds",
            "CALENDAR_DIR": "calendar",
            "SEARCH_DIR": "search",
        },
    },
}

# The series of bulletins. Section names are matched ignoring case, accents,
# punctuation and spacing; a heading id ({#budget}) also satisfies a rule.
SERIES = {
    "campagne": {
        "title": {
            "fr": "Bulletin de la campagne « Je tiens à ma communauté > "
            "je soutiens le communautaire »",
            "en": "Bulletin of the « Je tiens à ma communauté > "
            "je soutiens le communautaire » campaign",
        },
        "short_title": {"fr": "Bulletin de la campagne", "en": "Campaign bulletin"},
        "description": {
            "fr": "Produit après chaque rencontre du Groupe de travail sur le "
            "financement du PSOC, et selon l'actualité politique.",
            "en": "Published after each meeting of the PSOC funding working "
            "group, and as political news requires.",
        },
        "numbered": False,
        "required_sections": {
            "fr": [
                "Le groupe de travail",
                "L'échéancier du groupe de travail",
                "Des actions partout au Québec",
            ],
            "en": [
                "The working group",
                "The working group's schedule",
                "Actions across Quebec",
            ],
        },
    },
    "info-psoc": {
        "title": {"fr": "INFO-PSOC", "en": "INFO-PSOC"},
        "short_title": {"fr": "INFO-PSOC", "en": "INFO-PSOC"},
        "description": {
            "fr": "Le bulletin d'information de la CTROC sur les travaux entourant le PSOC.",
            "en": "The CTROC's newsletter on the work around the PSOC.",
        },
        "numbered": True,
        "required_sections": {
            "fr": ["Budget", "Groupe de travail", "Engagez-vous pour le communautaire"],
            "en": ["Budget", "Working group", "Engagez-vous pour le communautaire"],
        },
    },
}

# The regroupements that send messages of the action « Histoires d'OCASSS »
# (content/histoires/, `Group:`): the key is the URL of their page; messages name them
# by their name, acronym or another short form.
REGROUPEMENTS = {
    "rccq": {
        "name": "Regroupement des cuisines collectives du Québec",
        "acronym": "RCCQ",
    },
    "r-des-centres-de-femmes": {
        "name": "L'R des centres de femmes du Québec",
        "acronym": "L'R",
        "forms": ["l'R", "l’R"],
    },
    "rrasmq": {
        "name": "Regroupement des ressources alternatives en santé mentale du Québec",
        "acronym": "RRASMQ",
    },
    "rmjq": {
        "name": "Regroupement des maisons de jeunes du Québec",
        "acronym": "RMJQ",
    },
    "fmhf": {
        "name": "Fédération des maisons d'hébergement pour femmes",
        "acronym": "FMHF",
        "forms": ["la Fédé", "Fédé"],
    },
}

# The rules of the action's messages (seed « Histoires d'OCASSS »): ministers and
# hashtags change, the code does not. Twitter counts as Twitter does (NFC, every URL
# 23 characters); a Facebook message is 2 or 3 sentences.
ACTION = {
    "name": "Histoires d'OCASSS",
    "required_hashtags": ["#histoiresdOCASSS", "#PolQc"],
    "optional_hashtags": ["#assnat", "#OCASSS"],
    "recipient": "@luciecharlebois",
    "twitter_limit": 140,
    "facebook_sentences": 3,
    "guide_page": "histoires-docasss",  # the Translation key of the action's guide page
}

# The groups whose meetings are published (content/reunions/).
GROUPS = {
    "gt-financement": {
        "name": {
            "fr": "Groupe de travail MSSS – milieu communautaire sur le financement du PSOC",
            "en": "MSSS – community sector working group on PSOC funding",
        },
    },
    "comite-strategique": {
        "name": {"fr": "Comité stratégique du MSSS", "en": "MSSS strategic committee"},
    },
    "comite-covid": {
        "name": {"fr": "Comité COVID", "en": "COVID committee"},
    },
    "comite-liaison": {
        "name": {"fr": "Comité de liaison du MSSS", "en": "MSSS liaison committee"},
    },
    "comite-vision": {
        "name": {"fr": "Comité vision", "en": "Vision committee"},
    },
    "comite-psoc": {
        "name": {"fr": "Comité PSOC", "en": "PSOC committee"},
    },
    "assemblees": {
        "name": {"fr": "Assemblées générales", "en": "General assemblies"},
    },
    "comite-ad-hoc-actions": {
        "name": {
            "fr": "Comité ad hoc sur les actions à mettre en place",
            "en": "Ad hoc committee on the actions to take",
        },
    },
    "rq-aca-encadrement": {
        "name": {
            "fr": "Comité d'encadrement de l'Observatoire de l'ACA (RQ-ACA)",
            "en": "Steering committee of the ACA Observatory (RQ-ACA)",
        },
    },
    "rq-aca-strategie-intersectorielle": {
        "name": {
            "fr": "Comité stratégie intersectorielle du RQ-ACA",
            "en": "RQ-ACA intersectoral strategy committee",
        },
    },
}

# A Markdown file above this size is refused (a bulletin is a few dozen KB).
MAX_SOURCE_BYTES = 1_000_000

ARTICLE_PATHS = ["bulletins"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Meetings and budget updates are read by their own plugins, never as articles
# (plugins.build lists each language's bulletin and page files).
ARTICLE_EXCLUDES = ["reunions", "budget"]
IGNORE_FILES = [".*", "_*", "*~", "#*#"]

# Each sub-site links its twin itself (plugins/i18n): Pelican's own
# translation grouping is off.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Sub-sites differ by SITEURL only: a twin's URL has the same shape.
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
SERIES_YEAR_URL = "{series}/{year}/"
SERIES_YEAR_SAVE_AS = "{series}/{year}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
ARCHIVES_URL = "archives/"
DIRECT_TEMPLATES = ["index", "archives"]
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_PAGINATION = False
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# Pelican's feeds are replaced by plugins/feeds (stable GUIDs, enclosures).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
# plugins.feeds: absolute base of feed links while SITEURL is "" (dev server), and
# the tag: URI authority of feed and item ids (RFC 4151; never change it).
FEED_SITEURL = "http://localhost:8000"
FEED_TAG_AUTHORITY = "ctroc.org,2013"
# Each feed holds the newest 100 bulletins (Pelican's own FEED_MAX_ITEMS default).
FEED_MAX_ITEMS = 100

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Header values are text, shown as written everywhere (page, feeds, PDF, email): the
# summary is not Markdown, so a « < » or a « * » in it stays one.
FORMATTED_FIELDS = []

JINJA_ENVIRONMENT = {
    # Titles and metadata are text: escaped unless a template says `| safe`.
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}

PLUGIN_PATHS = []
# The build loads and checks content/ before Pelican runs (plugins.build, the same
# checks as `invoke check`; see docs/guide-redaction.md); the order of these does not
# matter: each reads the loaded model, none reads what another one changed.
PLUGINS = [
    # Pelican reads each Markdown file from the loaded model (converted once).
    "plugins.content",
    "plugins.i18n",
    "plugins.series",
    "plugins.feeds",
    "plugins.pdf_edition",
    "plugins.meetings",
    "plugins.budget",
    "plugins.histoires",
    # The search page of each language; the build then indexes the site (Pagefind).
    "plugins.search",
]

# Processes converting and checking Markdown (MARKDOWN_JOBS) and rendering PDFs (None:
# one per core; `invoke build --jobs N` sets both). RENDER_JOBS: processes rendering the
# languages; 2 renders the English sub-site in a worker while the French one renders
# here (about 10 % faster on 1,000 bulletins, but a second Pelican, and WeasyPrint, in
# memory: above 300 MB with PDFs on 2 cores), 1 renders them one after the other.
# False: the build keeps the search index the previous build wrote instead of running
# Pagefind (at 1,000 bulletins, 1–2 s after one edit, 7 s cold): invoke serve does, so
# a save shows at once; invoke build and publish always index.
SEARCH_INDEX = True
# Pages of one Pagefind run, at most: each language's pages are indexed in shards of this
# many, merged by the search page; a page keeps its shard from one build to the next, and
# a rebuild indexes again only the shards whose pages changed. Pagefind holds about 0.6 MB
# per page of its run: 80 keeps it near 50 MB; more pages per shard, fewer runs, more memory.
SEARCH_SHARD_PAGES = 80
# Pagefind runs at a time over those shards. 2 makes a cold build of 1,000 bulletins
# about 2 s faster on 2 cores, but a second Pagefind beside the build takes its peak
# memory past 300 MB (PSS); 1 keeps it near 270 MB. An edit indexes one shard anyway.
SEARCH_JOBS = 1

MARKDOWN_JOBS = None
PDF_JOBS = None
RENDER_JOBS = 1

# The only sites whose videos or documents a bulletin may embed (<iframe src="https://…">,
# the « intégrer » code of YouTube or Vimeo): the host names alone. An embed is published
# sandboxed on the page, and as a link in the PDF, the feeds and the email edition.
EMBED_HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]

# The email edition of each bulletin (`invoke email`, `invoke send`): who sends it, the
# members' list it goes to (the list manager distributes it; the site stores no address),
# how readers subscribe and unsubscribe, and the SMTP server. The SMTP user and password
# come only from the environment (SMTP_USER, SMTP_PASSWORD); SMTP_HOST, SMTP_PORT and
# SMTP_SECURITY override the server. Replace "to" by the members' list address.
EMAIL = {
    "from": "CTROC <financementocasss@gmail.com>",
    "reply_to": "financementocasss@gmail.com",
    "to": "financementocasss@gmail.com",
    "subscribe": "mailto:financementocasss@gmail.com?subject=Abonnement%20aux%20bulletins",
    "unsubscribe": "mailto:financementocasss@gmail.com?subject=D%C3%A9sabonnement",
    "unsubscribe_url": None,  # https://… of the list manager's one-click unsubscribe
    "smtp": {"host": "smtp.gmail.com", "port": 587, "security": "starttls"},
}

# Every page's Content-Security-Policy (<meta>): scripts from the site's own files only
# (no inline script, no event handler attribute), no plugin objects, no <base> elsewhere.
# 'wasm-unsafe-eval' lets the search (Pagefind) compile its WebAssembly, and nothing else:
# JavaScript's eval() stays refused. The theme adds frame-src: the EMBED_HOSTS only.
CONTENT_SECURITY_POLICY = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'"

# Build-only files (PDF cache, compiled catalogues) live outside output/.
BUILD_CACHE_PATH = ".cache"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# plugins.pdf_edition: absolute base of links inside PDFs while SITEURL is "" (dev).
PDF_LINK_SITEURL = "https://bulletins.ctroc.org"

# Calendars and budget (plugins.meetings, plugins.budget): ICS URLs use
# FEED_SITEURL in dev; BUILD_TODAY ("AAAA-MM-JJ") freezes "today" for
# upcoming/past meetings, None = today in Quebec.
CALENDAR_ALL_NAMES = {"fr": "toutes-les-rencontres", "en": "all-meetings"}
BUILD_TODAY = None
