"""Production settings: absolute URLs, feeds on, no cache; used by `invoke publish` and CI."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import CHAPTER  # noqa: E402

SITEURL = CHAPTER["site_url"]
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False

# Production builds write the announce plan (next to the cache, not in the deployed site).
from pelicanconf import SOCIAL_PUBLISH  # noqa: E402

SOCIAL_PUBLISH = {**SOCIAL_PUBLISH, "write_plan": True}
# GitHub Actions deploys to GitHub Pages on each push to main. To publish from a computer with
# `invoke publish` instead, set one of:
#   DEPLOY = {"method": "rsync", "target": "user@host:/var/www/akber/"}
#   DEPLOY = {"method": "ghp-import", "branch": "gh-pages"}
DEPLOY = None
