"""Interface strings: Indonesian in the templates, other languages from theme/translations/*.po."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations


def load(theme_path: str | Path, language: str) -> gettext.NullTranslations:
    """The catalog for `language`, compiled in memory so no .mo file has to be kept in git."""
    po_file = Path(theme_path) / "translations" / language / "LC_MESSAGES" / "messages.po"
    if language == "id" or not po_file.exists():
        return gettext.NullTranslations()
    # Every generator of every build asks; the file's time tells when a translator saved it.
    return _compiled(po_file, language, po_file.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _compiled(po_file: Path, language: str, mtime_ns: int) -> gettext.NullTranslations:
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)
