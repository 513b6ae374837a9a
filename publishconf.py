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
