"""Issue 9: organizer mistakes, each one a clear error on the right line, and nothing else.

The corpus is tests/fixtures/organizer_mistakes/: one class file per mistake (or per thing that
looks like a mistake and must be accepted), and cases.toml saying, for each file, which problem
lines `check` must print (`content/classes/<file>:<line>: <field>: <message>`) or that the file
is valid. The tests run `check` on the whole corpus at once, on each file alone, through
`invoke check` on a narrow terminal and on GitHub Actions, and check that a failed build leaves
the previous site untouched and no announce plan.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from berbagi.glue import runner

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "organizer_mistakes"
FIXED_NOW = "2026-11-28T09:00:00+07:00"  # the builds' now, as in tests/conftest.py
CASES = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["case"]
BY_FILE = {case["file"]: case for case in CASES}
PROBLEM_LINE = re.compile(
    r"^content/classes/(?P<file>.+?):(?P<line>\d+): (?P<field>[a-z][a-z_ -]*?): (?P<message>.+)$"
)


@dataclass(frozen=True)
class Expected:
    file: str
    line: int
    fields: tuple[str, ...]
    says: tuple[tuple[str, ...], ...]  # every group must be met by one of its alternatives
    optional: bool

    def matches(self, file: str, line: int, field: str, message: str) -> bool:
        text = message.lower()
        return (
            file == self.file
            and line == self.line
            and field in self.fields
            and all(any(word in text for word in group) for group in self.says)
        )

    def __str__(self) -> str:
        says = " ".join("|".join(group) for group in self.says)
        optional = " (optional)" if self.optional else ""
        return f"{self.file}:{self.line}: {'|'.join(self.fields)}: [{says}]{optional}"


def expected_of(file: str) -> list[Expected]:
    return [
        Expected(
            file,
            problem["line"],
            tuple(problem["field"].split("|")),
            tuple(tuple(word.lower().split("|")) for word in problem["says"]),
            bool(problem.get("optional")),
        )
        for problem in BY_FILE[file]["problems"]
    ]


def files_of(case: dict) -> list[str]:
    return [case["file"], *case.get("with", [])]


def make_content(root: Path, files: list[str], needs: list[str]) -> Path:
    """A content folder `root/content` with these class files and photos (and an images/)."""
    content = root / "content"
    classes = content / "classes"
    classes.mkdir(parents=True)
    (content / "images").mkdir()
    for name in files:
        shutil.copyfile(CORPUS / name, classes / name)
    for need in needs:
        (content / need).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / need, content / need)
    return content


def problems_of_check(settings: dict) -> list[str]:
    try:
        runner.check(settings)
    except runner.BuildFailed as failure:
        return list(failure.problems)
    return []


def compare(problems: list[str], expected: list[Expected]) -> list[str]:
    """What is wrong with `problems` against `expected`, one sentence each (empty: all good)."""
    wrong = []
    parsed = []
    for problem in problems:
        match = PROBLEM_LINE.match(problem)
        if match is None:
            wrong.append(
                f"not a 'content/classes/<file>:<line>: <field>: <message>' line: {problem!r}"
            )
            continue
        parsed.append(
            (match["file"], int(match["line"]), match["field"], match["message"], problem)
        )
    for want in expected:
        if not want.optional and not any(want.matches(*found[:4]) for found in parsed):
            same_place = [found[4] for found in parsed if found[:2] == (want.file, want.line)]
            elsewhere = [found[4] for found in parsed if found[0] == want.file]
            wrong.append(
                f"missing {want}; reported at that line: {same_place or 'nothing'}; "
                f"for that file: {elsewhere or 'nothing'}"
            )
    for found in parsed:
        if not any(want.matches(*found[:4]) for want in expected):
            wrong.append(f"unexpected: {found[4]!r}")
    return wrong


# --- The corpus itself --------------------------------------------------------------------------


def test_the_corpus_lists_every_file_once_and_is_large_enough():
    on_disk = {
        p.name
        for p in CORPUS.iterdir()
        if p.is_file() and p.name not in {"cases.toml", ".gitattributes"}
    }
    listed = [case["file"] for case in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice in cases.toml"
    assert on_disk == set(listed)
    assert len(listed) >= 70
    for case in CASES:
        assert case.get("why"), f"{case['file']}: say why"
        assert all(CORPUS.joinpath(need).is_file() for need in case.get("needs", []))
        assert all(other in BY_FILE for other in case.get("with", []))


# --- 1. Everything at once ------------------------------------------------------------------------


def test_check_reports_every_problem_of_every_file_in_one_run(tmp_path, site_settings):
    needs = sorted({need for case in CASES for need in case.get("needs", [])})
    content = make_content(tmp_path, [case["file"] for case in CASES], needs)
    with pytest.raises(runner.BuildFailed) as failure:
        runner.check(site_settings(content))
    expected = [want for case in CASES for want in expected_of(case["file"])]
    wrong = compare(failure.value.problems, expected)
    assert not wrong, "\n".join(wrong)


# --- 2. Each file alone ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [case["file"] for case in CASES])
def test_check_reports_exactly_the_problems_of_one_file(name, tmp_path, site_settings):
    case = BY_FILE[name]
    content = make_content(tmp_path, files_of(case), case.get("needs", []))
    problems = problems_of_check(site_settings(content))
    expected = [want for file in files_of(case) for want in expected_of(file)]
    if not expected:
        assert problems == [], f"{name} must be accepted ({case['why']}); check said:\n" + (
            "\n".join(problems)
        )
        return
    wrong = compare(problems, expected)
    assert not wrong, f"{case['why']}\n" + "\n".join(wrong)


# --- Accepted files build as an organizer expects ----------------------------------------------

ACCEPTED = [
    case
    for case in CASES
    if not case["problems"] and "expect" in case and not case["expect"].get("if_accepted")
]
STRIP_OR_REJECT = [case for case in CASES if case.get("expect", {}).get("if_accepted")]


def _settings(tmp: Path, content: Path) -> dict:
    return runner.load_settings(
        str(ROOT / "pelicanconf.py"),
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp / "output"),
            "CACHE_PATH": str(tmp / "cache"),
            "CLASS_SCHEDULE": {"now": FIXED_NOW},
        },
    )


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory):
    """One build of every file that must be accepted: (output folder, problems if it failed)."""
    tmp = tmp_path_factory.mktemp("accepted")
    needs = sorted({need for case in ACCEPTED for need in case.get("needs", [])})
    content = make_content(tmp, [file for case in ACCEPTED for file in files_of(case)], needs)
    try:
        runner.build(_settings(tmp, content))
    except runner.BuildFailed as failure:
        return tmp / "output", list(failure.problems) or [str(failure)]
    return tmp / "output", []


def assert_page(output: Path, case: dict) -> None:
    expect = case["expect"]
    page = output / expect["page"]
    assert page.is_file(), f"{case['file']}: no page {expect['page']}"
    html = page.read_text(encoding="utf-8")
    for text in expect.get("contains", []):
        assert text in html, f"{case['file']}: {text!r} not on {expect['page']}"
    for text in expect.get("absent", []):
        assert text not in html, f"{case['file']}: {text!r} reached {expect['page']}"


@pytest.mark.parametrize("name", [case["file"] for case in ACCEPTED])
def test_an_accepted_file_builds_the_page_an_organizer_expects(name, accepted_site):
    output, problems = accepted_site
    assert not problems, "the build of the accepted files failed:\n" + "\n".join(problems)
    assert_page(output, BY_FILE[name])


@pytest.mark.parametrize("name", [case["file"] for case in STRIP_OR_REJECT])
def test_a_control_character_is_refused_or_never_reaches_the_page(
    name, tmp_path, build_site, site_settings
):
    case = BY_FILE[name]
    content = make_content(tmp_path, files_of(case), case.get("needs", []))
    if problems_of_check(site_settings(content)):
        return  # refused: what it says is checked by the per-file test
    assert_page(build_site(content), case)


# --- 3. `invoke check`: one line per problem, at any width, and annotations on GitHub -------------

INVOKE_CASES = [
    "2026-12-05-start-day-month-year.md",
    "2026-12-05-status-in-indonesian.md",
    "2026-12-05-slug-too-long.md",
    "2026-12-05-crlf-line-endings.md",
]


def _annotation_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@pytest.mark.parametrize("on_github", [False, True], ids=["terminal", "github-actions"])
def test_invoke_check_prints_one_whole_line_per_problem(on_github, tmp_path, site_settings):
    content = make_content(tmp_path, INVOKE_CASES, [])
    problems = problems_of_check(site_settings(content))
    assert len(problems) >= len(INVOKE_CASES)
    assert all(len(problem) > 20 for problem in problems)
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\nCACHE_CONTENT = False\n"
        f"LOAD_CONTENT_CACHE = False\nCACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        f"CLASS_SCHEDULE = {{**CLASS_SCHEDULE, 'now': {FIXED_NOW!r}}}\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "20", "LINES": "10"}
    if on_github:
        env["GITHUB_ACTIONS"] = "true"
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--settings", str(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert_one_line_per_problem((result.stdout + result.stderr).splitlines(), problems, on_github)


def assert_one_line_per_problem(lines: list[str], problems: list[str], on_github: bool) -> None:
    """Each problem is one whole line, once; on GitHub also one `::error` annotation each."""
    plain = [line for line in lines if not line.startswith("::")]
    for problem in problems:
        assert plain.count(problem) == 1, (
            f"not printed once as a whole line: {problem!r}\noutput:\n" + "\n".join(lines)
        )
    stray = [line for line in plain if "content/classes/" in line and line not in problems]
    assert not stray, "pieces of problem lines:\n" + "\n".join(stray)

    annotations = [line for line in lines if line.startswith("::error")]
    if not on_github:
        assert annotations == [], "annotations outside GitHub Actions:\n" + "\n".join(annotations)
        return
    assert len(annotations) == len(problems), "one ::error annotation per problem:\n" + "\n".join(
        lines
    )
    for problem in problems:
        match = PROBLEM_LINE.match(problem)
        assert match is not None
        prefix = f"::error file=content/classes/{match['file']},line={match['line']},"
        mine = [line for line in annotations if line.startswith(prefix)]
        assert mine, f"no annotation starting {prefix!r}:\n" + "\n".join(annotations)
        properties, _, message = mine[0][len("::error ") :].partition("::")
        assert ",title=" in properties, mine[0]
        assert _annotation_escape(match["message"]) in message, mine[0]


def test_the_output_check_itself_tells_good_output_from_bad():
    problem = "content/classes/2026-12-05-x.md:9: capacity: 'empat puluh' is not a whole number"
    good = ["check failed: class_schedule: 1 problem in class files; nothing was built", problem]
    annotation = (
        "::error file=content/classes/2026-12-05-x.md,line=9,title=capacity::"
        "'empat puluh' is not a whole number"
    )
    assert_one_line_per_problem(good, [problem], on_github=False)
    assert_one_line_per_problem([*good, annotation], [problem], on_github=True)
    for bad_lines, on_github in [
        ([problem, problem], False),  # twice
        ([problem[:40], problem[40:]], False),  # wrapped
        (["ERROR " + problem], False),  # decorated
        ([*good, annotation], False),  # annotation off GitHub
        (good, True),  # no annotation on GitHub
        ([*good, annotation.replace("line=9", "line=1")], True),
    ]:
        with pytest.raises(AssertionError):
            assert_one_line_per_problem(bad_lines, [problem], on_github)


# --- 4. A failed build leaves the previous site untouched and no announce plan -----------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _break_with_a_class_error(content: Path) -> None:
    name = "2026-12-05-crlf-line-endings.md"  # Capacity: empat puluh
    shutil.copyfile(CORPUS / name, content / "classes" / name)


def _break_with_a_photo_only_the_build_reads(content: Path) -> None:
    name = "2026-11-14-photo-fake-heic-named-jpg.md"
    shutil.copyfile(CORPUS / name, content / "classes" / name)
    for need in BY_FILE[name]["needs"]:
        (content / need).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / need, content / need)


def _break_with_an_error_pelican_logs(content: Path) -> None:
    page = content / "pages" / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Date: 2026-01-01", "Date: kemarin"))


BREAKERS = {
    "class-error": _break_with_a_class_error,
    "unreadable-photo": _break_with_a_photo_only_the_build_reads,
    "pelican-error": _break_with_an_error_pelican_logs,
}


@pytest.mark.parametrize("kind", list(BREAKERS))
@pytest.mark.parametrize("delete_output", [False, True], ids=["keep-output", "delete-output"])
def test_a_failed_build_leaves_the_previous_site_and_no_plan(
    kind, delete_output, tmp_path, content_dir, site_settings
):
    content = content_dir(ROOT / "tests" / "fixtures" / "valid_classes")
    (content / "images").mkdir()
    (content / "pages").mkdir()
    (content / "pages" / "tentang.md").write_text(
        "Title: Tentang Kami\nDate: 2026-01-01\n\nKomunitas kelas gratis di Palembang.\n",
        encoding="utf-8",
    )
    social = {"write_plan": True, "ledger": str(tmp_path / "announcements.json")}

    def settings() -> dict:
        return site_settings(content, SOCIAL_PUBLISH=social, DELETE_OUTPUT_DIRECTORY=delete_output)

    runner.build(settings())
    output = Path(settings()["OUTPUT_PATH"])
    plan = tmp_path / "cache" / "announce-plan.json"
    assert plan.is_file(), "the good build writes a plan (the test's premise)"
    before = snapshot(output)
    assert any(name.endswith("index.html") for name in before)

    BREAKERS[kind](content)
    with pytest.raises(runner.BuildFailed):
        runner.build(settings())

    after = snapshot(output)
    assert sorted(after) == sorted(before), (
        f"files added: {sorted(set(after) - set(before))}, "
        f"removed: {sorted(set(before) - set(after))}"
    )
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"changed by the failed build: {changed}"
    leftovers = [p.name for p in plan.parent.glob("announce-plan*")]
    assert leftovers == [], f"announce plan left after a failed build: {leftovers}"
