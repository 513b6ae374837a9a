"""Settings for a local build of the chapter site; publishconf.py builds on them for production."""

from pathlib import Path

# The site's folder, so that the theme and plugins are found whichever settings file or working
# directory a build starts from.
_SITE = Path(__file__).resolve().parent

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
    # A square picture (at least 180 pixels): favicon.ico and the apple-touch-icon come from it.
    "logo": str(_SITE / "content" / "images" / "logo.png"),
}
SITENAME = CHAPTER["short_name"]
SITEURL = ""  # publishconf.py sets the absolute production URL.
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"  # "en" switches the interface to English.

# --- Content layout. -------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["classes"]
PAGE_PATHS = ["pages"]
# Copied as they are. A listed path that does not exist stops the build (Pelican skips it).
# robots.txt and 404.html are written by the kit (robots.txt names the sitemap).
STATIC_PATHS = ["images"]
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
THEME = str(_SITE / "theme")
PLUGIN_PATHS = [str(_SITE / "plugins")]
# Any subset, in any order: each plugin switches on the class schedule (berbagi.glue.classes)
# it needs. Leave out "ical_feed" for no calendar, "class_photos" for no resized photos.
PLUGINS = ["class_schedule", "ical_feed", "class_feeds", "class_photos", "sitemap"]
# pelican-sitemap: every public page with its lastmod; hidden classes and 404.html stay out.
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$"]}
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
# Pelican gzips its cache by default: at 1,000 classes that costs 0.27 s of every build to save
# a 0.9 MB file instead of 5.9 MB, which loads no faster.
GZIP_CACHE = False
READERS = {"rst": None}  # Markdown only; skips docutils and its locale warning

# Calendar for subscribers (calendar.ics) and one .ics per class; ids come from CHAPTER["domain"].
ICAL_FEED = {
    "path": "calendar.ics",
    "refresh_hours": 12,  # how often calendar apps are asked to fetch it again
    "name": None,  # None: "Kelas Akademi Berbagi Palembang"
    "description": None,
}

# Atom and RSS feeds of classes, written with feedgen (Pelican's own feeds are off above).
CLASS_FEEDS = {
    "atom_path": "feeds/classes.atom.xml",
    "rss_path": "feeds/classes.rss.xml",
    # The year the chapter first used CHAPTER["domain"]; part of every entry's permanent tag: id.
    "id_year": 2011,
    "title": None,  # None: "Kelas Akademi Berbagi Palembang"
    "max_entries": 50,  # the classes announced or changed most recently
}

# --- The organizers' editor at /admin/ (README: "Adding a class from a phone"). ---------------
CMS = {
    # The chapter's GitHub repository, "owner/name". None: /admin/ works only with decap-server
    # running on the organizer's computer (`npx decap-server`, then open localhost:8000/admin/).
    "repo": None,
    "branch": "main",
    # Sign-in: Netlify's free OAuth provider holds the GitHub OAuth App's secret (no secret here).
    "base_url": "https://api.netlify.com",
    # Every save is a branch and a pull request: the check runs before anything is published.
    "publish_mode": "editorial_workflow",
}

# --- Announcing classes (README: "Publishing and announcing"). ---------------------------------
# No build ever posts: a production build only writes the plan that `invoke announce` and
# `invoke remind` read.
PLUGINS = [*PLUGINS, "social_publish"]
SOCIAL_PUBLISH = {
    "write_plan": False,  # publishconf.py turns it on; local builds never lead to a post
    "ledger": "announcements.json",  # what was posted; committed with the site
    "kinds": ["class"],  # add "page" to announce new pages as well
    "max_posts": 3,  # announcements and updates per run; the rest wait for the next run
    "max_reminders": 10,  # reminders per run; one that does not fit fails the run, loudly
    "reminder_hours": 24,  # `invoke remind` reminds of classes starting this soon
    # X's prepaid prices (2026), for the dry run's cost estimate; every class post has a link.
    "prices": {"twitter": {"currency": "USD", "post": 0.015, "post_with_link": 0.20}},
    # Texts by name (announcement, cancelled, postponed, rescheduled, reminder, page), e.g.
    # {"announcement": "Kelas baru: {title}, {date} {time} di {venue}. {url} {hashtag}"}.
    "templates": {},
}

# --- The national site (README: "National site"): `invoke national` builds it from nationalconf.py.
# Every chapter listed here is fetched at build time: its calendar.ics and Atom feed (the kit's
# own outputs, at site_url/calendar.ics and site_url/feeds/classes.atom.xml unless calendar_url
# and feed_url say otherwise; any RFC 5545 calendar will do, feed_url None for none). The chapter
# site ignores this block. Makassar and Jayapura are fictitious: `invoke national --sample` serves
# them, and this site's own output, on the loopback address.
NATIONAL_SITE = {
    "chapters": [
        {
            "id": "palembang",
            "name": "Akademi Berbagi Palembang",
            "city": "Palembang",
            "timezone": "Asia/Jakarta",
            "site_url": "https://palembang.akademiberbagi.example",
        },
        {
            "id": "makassar",
            "name": "Akademi Berbagi Makassar (contoh fiktif)",
            "city": "Makassar",
            "timezone": "Asia/Makassar",
            "site_url": "https://makassar.akademiberbagi.example",
        },
        {
            "id": "jayapura",
            "name": "Akademi Berbagi Jayapura (contoh fiktif)",
            "city": "Jayapura",
            "timezone": "Asia/Jayapura",
            "site_url": "https://jayapura.akademiberbagi.example",
        },
    ],
    "timeout_seconds": 10,  # per file; a slower chapter's last good copy is used
    "max_bytes": 5_000_000,  # per file; reading stops beyond it
    "days_ahead": 90,  # the home page and the feeds list classes starting this soon
}
