"""Production settings: absolute URLs, feeds on, no cache; used by `invoke publish` and CI."""

import runpy
from pathlib import Path

# Everything from pelicanconf.py, read by its path: Pelican loads settings files by path too, so
# this works whichever folder a build is started from.
_local = runpy.run_path(str(Path(__file__).resolve().with_name("pelicanconf.py")))
globals().update({name: value for name, value in _local.items() if name.isupper()})

SITEURL = _local["CHAPTER"]["site_url"]
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False

# Production builds write the announce plan (next to the cache, not in the deployed site).
SOCIAL_PUBLISH = {**_local["SOCIAL_PUBLISH"], "write_plan": True}
# GitHub Actions deploys to GitHub Pages on each push to main. To publish from a computer with
# `invoke publish` instead, set one of:
#   DEPLOY = {"method": "rsync", "target": "user@host:/var/www/akber/"}
#   DEPLOY = {"method": "ghp-import", "branch": "gh-pages"}
DEPLOY = None
