"""Settings for a local build of the chapter site; publishconf.py builds on them for production."""

# --- The chapter: a fork of the kit changes this block and the content, nothing else. ---------
CHAPTER = {
    "name": "Akademi Berbagi Palembang",
    "short_name": "Akber Palembang",
    "city": "Palembang",
    "twitter": "AkberPLB",
    "hashtag": "AkberPLB",
    # Permanent identity for calendar UIDs and feed ids; never derived from SITEURL so that a local
    # and a production build agree. Change it only when starting a brand-new chapter.
    "domain": "palembang.akademiberbagi.example",
    # Production address: absolute links in share buttons, JSON-LD, feeds and tweets use it.
    "site_url": "https://palembang.akademiberbagi.example",
    "founded": "Februari 2011",
    "email": "halo@example.org",
}
SITENAME = CHAPTER["short_name"]
SITEURL = ""  # publishconf.py sets the absolute production URL.
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"  # "en" switches the interface to English.

# --- Content layout. -------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["classes"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra/robots.txt"]
EXTRA_PATH_METADATA = {"extra/robots.txt": {"path": "robots.txt"}}
# Files starting with "_" (the commented class template) are documentation, not content.
IGNORE_FILES = [".#*", "_*"]
# The class file name carries the start date and the permanent slug: 2026-12-05-fotografi.md.
FILENAME_METADATA = r"(?P<file_date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)"
# Summary stays plain text so one value serves the page, JSON-LD, feeds and tweets.
FORMATTED_FIELDS = []

ARTICLE_URL = "kelas/{slug}/"
ARTICLE_SAVE_AS = "kelas/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Pages that Pelican would make but a chapter site does not need.
DIRECT_TEMPLATES = ["index"]
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = False
for _kind in ("AUTHOR", "CATEGORY", "TAG"):
    globals()[f"{_kind}_SAVE_AS"] = ""
    globals()[f"{_kind}S_SAVE_AS"] = ""
ARCHIVES_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Pelican's own article feeds are off: plugins/class_feeds writes the class feeds with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None

# --- Theme and plugins. ----------------------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["class_schedule"]
RELATIVE_URLS = True
JINJA_ENVIRONMENT = {
    # Everything from content metadata is escaped; Markdown bodies are marked safe where shown.
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}
TYPOGRIFY = False

CLASS_SCHEDULE = {
    # "now" for splitting upcoming and past; None means the build's real clock. Tests and previews
    # set an ISO date-time here, or the BERBAGI_NOW environment variable.
    "now": None,
    "default_duration_minutes": 120,
    "monthly_promise_days": 30,
}

# Content caching keeps warm rebuilds fast; a settings change needs `invoke rebuild`.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
READERS = {"rst": None}  # Markdown only; skips docutils and its locale warning
