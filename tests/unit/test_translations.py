"""Every interface string in the templates has an English translation."""

from pathlib import Path

from babel.messages.extract import extract, extract_from_dir
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


def chart_strings() -> set[str]:
    """The report charts' words, marked with N_ in berbagi/render/report.py (babel.cfg)."""
    with (ROOT / "berbagi" / "render" / "report.py").open("rb") as source:
        return {message for _, message, _, _ in extract("python", source, keywords={"N_": None})}


def test_english_catalog_covers_every_template_string():
    with (ROOT / "theme/translations/en/LC_MESSAGES/messages.po").open("rb") as source:
        catalog = read_po(source)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted((template_strings() | chart_strings()) - translated)
    assert missing == [], "run `invoke update-translations` and translate: " + repr(missing)


def test_the_report_charts_words_are_extracted():
    assert "Terdaftar" in chart_strings() and "tidak dicatat" in chart_strings()
