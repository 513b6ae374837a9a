"""The job summary's renderer alone: escaping, code blocks, the verdict, a check's table."""

from __future__ import annotations

import re

import markdown
from hypothesis import given
from hypothesis import strategies as st
from lxml import html

from berbagi.publish.summary import (
    ZWJ,
    Problem,
    PullRequestSummary,
    Step,
    code_block,
    render,
    render_check_failure,
    text,
    verdict,
)


def rendered(source: str) -> html.HtmlElement:
    return html.fromstring(
        f"<div>{markdown.markdown(source, extensions=['tables', 'fenced_code'])}</div>"
    )


MARKDOWN_ALPHABET = "`*_[]()<>&#!|~@＠\\/:;=.+- \tab1"
TITLES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=60),
    st.text(alphabet=st.sampled_from(MARKDOWN_ALPHABET), max_size=60),
)


@given(TITLES)
def test_escaped_text_reads_back_as_written_and_builds_no_markup(value):
    tree = rendered(f"Kelas: {text(value)}")

    assert [element.tag for element in tree.iter()][1:] in ([], ["p"])
    written = " ".join(f"Kelas: {value}".split())
    shown = tree.text_content().strip()
    assert shown.replace(ZWJ, "") == written.replace(ZWJ, "")
    assert not re.search(r"[@＠][^\s\u200d]", shown)  # nothing a GitHub mention could start from


def test_a_hostile_title_in_a_table_cell_stays_one_cell():
    title = "`|<script>@everyone | x"
    tree = rendered(f"| a | b |\n|---|---|\n| {text(title)} | end |\n")

    cells = tree.xpath("//tbody/tr/td")
    assert [cell.text_content() for cell in cells] == [title.replace("@", "@" + ZWJ), "end"]
    assert tree.xpath("//script | //code") == []


def test_a_code_block_cannot_be_closed_by_its_content():
    content = "satu\n```\n<details>\n````\ndua"
    tree = rendered(code_block(content))

    assert [pre.text_content() for pre in tree.xpath("//pre")] == [content + "\n"]


def test_nothing_gathered_reads_as_no_change():
    summary = PullRequestSummary("main at 1a2b3c4", (), Step("passed"), Step("passed"))

    assert verdict(summary) == "Merging changes no class and posts nothing"
    assert "This pull request changes no class file." in render(summary)


def test_a_build_that_did_not_run_leaves_the_posts_unknown():
    summary = PullRequestSummary("", (), Step("passed"), Step("not run", note="no build"))

    assert verdict(summary) == "Merging changes no class and the posts are unknown (see below)"
    assert "the production build did not run" in render(summary)


def test_a_failed_check_is_a_table_with_one_row_per_problem():
    problems = [
        Problem("'x' is not a date-time", "content/classes/a|b.md", 3, "start"),
        Problem("2 errors logged above"),
    ]

    lines = render_check_failure(problems).splitlines()

    assert lines[0] == "### `invoke check` found 2 problems"
    assert lines[4] == "| content/classes/a\\|b.md | 3 | start | 'x' is not a date-time |"
    assert lines[-1] == "- 2 errors logged above"
