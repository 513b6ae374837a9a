"""Every interface string in the templates has an English translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}


def template_strings() -> set[str]:
    found = extract_from_dir(
        ROOT / "theme" / "templates",
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": OPTIONS},
    )
    return {message for _, _, message, _, _ in found}


def test_english_catalog_covers_every_template_string():
    with (ROOT / "theme/translations/en/LC_MESSAGES/messages.po").open("rb") as source:
        catalog = read_po(source)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(template_strings() - translated)
    assert missing == [], "run `invoke update-translations` and translate: " + repr(missing)
