"""Settings of the national site: the same kit and theme, with the national_site plugin instead
of the chapter's; it lists no classes of its own but every chapter's in NATIONAL_SITE."""

import runpy
from pathlib import Path

_SITE = Path(__file__).resolve().parent
# Everything from pelicanconf.py (NATIONAL_SITE, the theme, the feed and calendar settings), read
# by its path like publishconf.py does.
_local = runpy.run_path(str(_SITE / "pelicanconf.py"))
globals().update({name: value for name, value in _local.items() if name.isupper()})

# The national organisation: the site's name, feed and calendar identity, footer.
CHAPTER = {
    "name": "Akademi Berbagi",
    "short_name": "Akber Indonesia",
    "city": "Indonesia",
    "twitter": "akademiberbagi",
    "hashtag": "AkademiBerbagi",
    # Permanent identity of the national calendar's and feeds' ids; never SITEURL.
    "domain": "akademiberbagi.example",
    "site_url": "https://akademiberbagi.example",
    "founded": "2010",
    "email": "halo@akademiberbagi.example",
    "logo": str(_SITE / "content" / "images" / "logo.png"),
}
SITENAME = CHAPTER["short_name"]
SITEURL = ""  # a production national build sets CHAPTER["site_url"] here
ICAL_FEED = {**_local["ICAL_FEED"], "name": "Kelas Akademi Berbagi se-Indonesia"}

# The mode switch: the national plugin alone (with the sitemap); no class files are read.
PLUGINS = ["national_site", "sitemap"]
PATH = str(_SITE / "national" / "content")
OUTPUT_PATH = str(_SITE / "output-national")
# The last good copy of every chapter's files lives in CACHE_PATH/national: keep it between builds.
CACHE_PATH = str(_SITE / "cache-national")
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []  # the plugin writes the home page
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
