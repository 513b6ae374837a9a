"""The class file reader: every header line accounted for at the line GitHub shows, any text."""

from __future__ import annotations

import codecs
import re

from hypothesis import given
from hypothesis import strategies as st

from berbagi import classfile

PATH = "content/classes/2026-12-05-foto.md"
LINE_END = re.compile(r"\r\n|\r|\n")

# Header-like lines, with the characters pastes bring: breaks GitHub does not count, controls,
# zero-width and no-break spaces, colons in odd places.
pieces = st.sampled_from(
    ["Title", "Venue_Address", "Status", "Teacher", "Template", "Venue Address", " ", ":", ": ",
     "x", "14:00", "\u000b", "\u2028", "\u0085", "\u200b", "\u00a0", "\t", "é", "|", "@a"]
)  # fmt: skip
header_line = st.lists(pieces, max_size=8).map("".join)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


@given(st.lists(st.tuples(header_line, line_ends), max_size=12), st.text(max_size=40))
def test_each_header_line_is_a_field_or_a_problem_at_its_own_line(lines, body):
    text = "".join(line + end for line, end in lines) + "\n" + body
    parsed = classfile.parse(text, PATH)
    github_lines = LINE_END.split(text)
    blank = next(
        (i + 1 for i, line in enumerate(github_lines) if not classfile.clean_value(line)),
        len(github_lines) + 1,
    )
    accounted = {line.line for line in parsed.header} | {p.line for p in parsed.problems}
    assert accounted == set(range(1, blank))
    for line in parsed.header:
        assert github_lines[line.line - 1].lower().startswith(line.key)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", line.value)
    assert all(str(problem).startswith(f"{PATH}:{problem.line}: ") for problem in parsed.problems)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]", parsed.body)


def test_a_field_given_twice_is_an_error_at_the_second_line_and_the_first_value_counts():
    parsed = classfile.parse("Title: Satu\nVenue: Kafe\nTitle: Dua\n\nUraian\n", PATH)
    assert parsed.single("title") == "Satu"
    assert [str(p) for p in parsed.problems] == [
        f"{PATH}:3: title: given twice (first on line 1); a class has one Title: keep one of the "
        "lines"
    ]


def test_repeatable_fields_keep_each_line_and_its_number_even_after_an_empty_one():
    parsed = classfile.parse("Teacher:\nTeacher: Rina | @rina\nPhoto: a.jpg | A\n", PATH)
    assert parsed.entries("teacher") == [("Rina | @rina", 2)]
    assert parsed.problems == ()


def test_utf16_cp1252_and_nul_bytes_are_named_with_what_to_do():
    utf16 = classfile.read(codecs.BOM_UTF16_LE + "Title: x".encode("utf-16-le"), PATH)
    assert "saved as UTF-16; save it as UTF-8" in str(utf16.problems[0])
    notepad = "Title: Kafe\nVenue: Caf\u00e9 \u2019Musi\u2019\n".encode("cp1252")
    cp1252 = classfile.read(notepad, PATH)
    assert str(cp1252.problems[0]).startswith(f"{PATH}:2: file: byte 0xE9 ('é' in Windows-1252)")
    bom = classfile.read(codecs.BOM_UTF8 + b"Title: Kafe\n", PATH)
    assert bom.single("title") == "Kafe" and bom.problems == ()


def test_a_sentence_with_a_colon_is_not_offered_as_a_field_name():
    parsed = classfile.parse("Title: x\nIni kalimat biasa: lanjut\n", PATH)
    assert "is not a 'Field: value' line; if the description starts here" in str(parsed.problems[0])


def test_a_pasted_run_of_invisible_characters_is_trimmed_in_linear_time():
    parsed = classfile.parse("Title: " + "\u200b" * 200_000 + " Foto \u200b\n", PATH)
    assert parsed.single("title") == "Foto"


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.lists(pieces).map("".join))
def test_a_plain_ascii_value_is_cleaned_as_any_other_text(text):
    # clean_value's quick way for ASCII lines must agree with the general one on every text.
    assert classfile.clean_value(text) == classfile._clean_any_value(text)
