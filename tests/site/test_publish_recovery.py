"""Announcing when things go wrong: late reminders, stuck records and `invoke settle`, bad input,
unpaid credits, strangers' names. Real production builds, tweepy's real client, `responses`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from berbagi.glue import runner
from berbagi.publish import cli
from berbagi.settings import load as kit_settings

ROOT = Path(__file__).resolve().parents[2]
TWEETS = "https://api.twitter.com/2/tweets"
EVENING_BEFORE = "2026-12-04T19:00:00+07:00"  # the sample's Jurnalistik Foto: 5 Dec 14.00
AFTER_IT_STARTED = "2026-12-05T15:00:00+07:00"
QUICK = cli.Options(sleep=lambda seconds: None)


def run(command: str, settings: dict, options: cli.Options = QUICK, **extra) -> list[str]:
    """`invoke announce` or `invoke remind`; returns what it printed."""
    lines: list[str] = []
    getattr(cli, command)(kit_settings(settings), options, out=lines.append, **extra)
    return lines


def failing(command: str, settings: dict, options: cli.Options = QUICK) -> tuple[int, list[str]]:
    lines: list[str] = []
    with pytest.raises(cli.PublishFailed) as failure:
        getattr(cli, command)(kit_settings(settings), options, out=lines.append)
    return failure.value.code, [*lines, str(failure.value)]


def ledger_file(settings: dict) -> Path:
    return Path(settings["SOCIAL_PUBLISH"]["ledger"])


def stored(settings: dict) -> list[dict]:
    return json.loads(ledger_file(settings).read_text(encoding="utf-8"))["records"]


def baselined(settings: dict) -> None:
    run("announce", settings, baseline=True)


def leave_pending(
    settings: dict,
    slug: str,
    kind: str,
    start: str,
    network: str = "twitter",
    change: str | None = None,
) -> None:
    """What a crash right after a request leaves: a pending record, maybe posted, maybe not."""
    data = json.loads(ledger_file(settings).read_text(encoding="utf-8"))
    data["records"].append(
        {
            "slug": slug,
            "network": network,
            "kind": kind,
            **({"change": change} if change else {}),
            "status": "pending",
            "post_id": None,
            "url": None,
            "posted_at": None,
            "recorded_at": "2026-12-04T19:00:00+07:00",
            "state": {"start": start, "venue": "Studio", "status": "scheduled"},
        }
    )
    ledger_file(settings).write_text(json.dumps(data), encoding="utf-8")


def accepted(twitter, *ids: str) -> None:
    for post_id in ids:
        twitter.post(TWEETS, status=201, json={"data": {"id": post_id, "text": "..."}})


def texts_sent(twitter) -> list[str]:
    return [json.loads(call.request.body)["text"] for call in twitter.calls]


def add_classes_on_the_fifth(content: Path, count: int) -> None:
    for number in range(count):
        (content / "classes" / f"2026-12-05-kelas-sore-{number}.md").write_text(
            f"Title: Kelas Sore {number}\nDate: 2026-11-20 10:00\n"
            f"Start: 2026-12-05 1{number + 5}:00\nVenue: Kafe Contoh\n"
            "Venue_Address: Jl. Contoh 1, Palembang\nTeacher: Budi\n\nIsi.\n",
            encoding="utf-8",
        )


def test_reminders_that_do_not_fit_are_reported_and_sent_by_the_next_run(
    site, content_dir, twitter, credentials
):
    content = content_dir()
    add_classes_on_the_fifth(content, 3)  # four classes on 5 December
    baselined(site(content))
    settings = site(content, now=EVENING_BEFORE, max_reminders=3)
    accepted(twitter, "1", "2", "3")

    code, lines = failing("remind", settings)

    assert code == cli.EXIT_FAILED
    assert len(twitter.calls) == 3
    assert (
        "remind: 1 reminder(s) did not fit in this run (at most 3): kelas-sore-2 "
        "(2026-12-05T17:00:00+07:00). Run `invoke remind` again before they start, or raise "
        "SOCIAL_PUBLISH['max_reminders']"
    ) in lines
    accepted(twitter, "4")
    assert run("remind", settings)[-1] == "remind: posted reminder kelas-sore-2: " + (
        "https://twitter.com/AkberPLB/status/4"
    )
    assert [r["slug"] for r in stored(settings) if r["kind"] == "reminder"] == [
        "jurnalistik-foto",
        "kelas-sore-0",
        "kelas-sore-1",
        "kelas-sore-2",
    ]


def test_every_pending_record_is_listed_by_announce_and_remind(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "kewirausahaan-sosial", "update", "2027-01-09T09:00:00+07:00")
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")

    for command in ("announce", "remind"):
        code, lines = failing(command, settings)

        assert code == cli.EXIT_ATTENTION
        listed = [line for line in lines if "may have been posted" in line]
        assert [line.split(" on twitter")[0] for line in listed] == [
            f"{command}: update kewirausahaan-sosial",
            f"{command}: reminder jurnalistik-foto",
        ]
    assert len(twitter.calls) == 0  # the pending reminder's class gets no second reminder


def test_settle_posted_records_the_address_and_the_runs_go_quiet(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")
    said: list[str] = []

    cli.settle(
        kit_settings(settings),
        "jurnalistik-foto",
        posted_url="https://x.com/AkberPLB/status/1864000000000000001",
        out=said.append,
    )

    assert said == [
        "settle: recorded reminder jurnalistik-foto on twitter as posted: "
        "https://x.com/AkberPLB/status/1864000000000000001"
    ]
    (record,) = [r for r in stored(settings) if r["kind"] == "reminder"]
    assert (record["status"], record["post_id"]) == ("posted", "1864000000000000001")
    assert run("remind", settings) == ["remind: nothing to post on X (Twitter)"]
    assert len(twitter.calls) == 0


def test_settle_not_posted_lets_the_next_run_send_it(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")
    before = ledger_file(settings).read_bytes()

    cli.settle(kit_settings(settings), "jurnalistik-foto", not_posted=True, out=lambda line: None)
    accepted(twitter, "7")

    assert ledger_file(settings).read_bytes() != before
    assert [r["status"] for r in stored(settings)].count("pending") == 0
    run("remind", settings)
    assert texts_sent(twitter)[0].startswith("Pengingat: Jurnalistik Foto")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"posted_url": "https://example.org/akber"}, "is not the address of a post on X"),
        ({"posted_url": "https://x.com/AkberPLB"}, "is not the address of a post on X"),
        ({}, "give either --posted URL or --not-posted"),
        ({"posted_url": "https://x.com/a/status/1", "not_posted": True}, "give either"),
    ],
)
def test_settle_refuses_what_it_cannot_record(site, credentials, arguments, message):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")
    before = ledger_file(settings).read_bytes()

    with pytest.raises(cli.PublishFailed, match=message) as refused:
        cli.settle(kit_settings(settings), "jurnalistik-foto", out=print, **arguments)

    assert refused.value.code == cli.EXIT_SETUP
    assert ledger_file(settings).read_bytes() == before


def test_settle_names_what_is_pending_when_the_slug_is_not(site, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")

    with pytest.raises(cli.PublishFailed) as refused:
        cli.settle(kit_settings(settings), "jurnalistik", not_posted=True)

    assert str(refused.value) == (
        "settle: no pending record for jurnalistik; pending now: reminder jurnalistik-foto on "
        "twitter"
    )


def test_retry_pending_drops_a_reminder_whose_class_has_started(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00")
    settings = site(now=AFTER_IT_STARTED)

    lines = run("remind", settings, cli.Options(retry_pending=True))

    assert lines == [
        "remind: dropped the pending reminder jurnalistik-foto on X (Twitter): the class started "
        "at 2026-12-05T14:00:00+07:00, so it is of no use any more. It may have been posted at "
        "2026-12-04T19:00:00+07:00 just before a run stopped (the account shows whether it was); "
        "it is recorded as dropped and never posted",
        "remind: nothing to post on X (Twitter)",
    ]
    assert not [r for r in stored(settings) if r["status"] == "pending"]
    assert run("remind", settings) == ["remind: nothing to post on X (Twitter)"]


def test_402_says_to_buy_credits_and_records_nothing(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    before = ledger_file(settings).read_bytes()
    twitter.post(
        TWEETS,
        status=402,
        json={"title": "CreditsDepleted", "detail": "No credits left", "status": 402},
    )

    code, lines = failing("remind", settings)

    assert code == cli.EXIT_SETUP
    assert "prepaid credits are used up. Buy credits in the X developer console" in lines[-1]
    assert "check the text" not in lines[-1]
    assert ledger_file(settings).read_bytes() == before  # not even its metadata moved


def test_a_refused_post_leaves_the_ledger_file_as_it_was(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    before = ledger_file(settings).read_bytes()
    twitter.post(TWEETS, status=503, json={"title": "Service Unavailable", "status": 503})

    code, _ = failing("remind", settings)

    assert code == cli.EXIT_FAILED
    assert len(twitter.calls) == 3  # retried twice
    assert ledger_file(settings).read_bytes() == before


@pytest.mark.parametrize("cap", ["-1", "0", "abc", "2.5", "¹", True])
def test_a_cap_that_is_not_a_positive_whole_number_is_refused(cap):
    with pytest.raises(cli.PublishFailed, match="--max-posts must be a whole number") as refused:
        cli.parse_cap(cap)
    assert refused.value.code == cli.EXIT_SETUP


def test_a_negative_cap_posts_nothing(site, twitter, credentials):
    settings = site()
    baselined(settings)

    code, lines = failing("announce", settings, cli.Options(max_posts=-1))

    assert code == cli.EXIT_SETUP
    assert len(twitter.calls) == 0


@pytest.mark.parametrize(
    ("ledger", "message"),
    [
        ({"version": 1}, "'chapter' must name the domain and the account"),
        (
            {"version": 2, "chapter": {"domain": "x.example", "twitter": "A"}, "records": None},
            "'records' must be a list",
        ),
        (
            {"version": 2, "chapter": {"domain": "x.example"}, "records": []},
            "'chapter' must name the domain and the account",
        ),
        (
            {
                "version": 2,
                "chapter": {"domain": "x.example", "twitter": "A"},
                "records": [{"slug": "a", "network": "twitter", "kind": "announcement"}],
            },
            "record 1 has no 'status'",
        ),
    ],
)
def test_a_hand_edited_ledger_of_the_wrong_shape_is_exit_2_naming_the_file(
    site, credentials, ledger, message
):
    settings = site()
    ledger_file(settings).write_text(json.dumps(ledger), encoding="utf-8")

    code, lines = failing("announce", settings)

    assert code == cli.EXIT_SETUP
    assert str(ledger_file(settings)) in lines[-1]
    assert message in lines[-1]


def test_a_malformed_plan_is_exit_2(site, credentials):
    settings = site()
    plan = Path(settings["CACHE_PATH"]) / "announce-plan.json"
    data = json.loads(plan.read_text(encoding="utf-8"))
    del data["items"][0]["texts"]
    plan.write_text(json.dumps(data), encoding="utf-8")

    code, lines = failing("announce", settings)

    assert code == cli.EXIT_SETUP
    assert f"{plan} is damaged (KeyError: 'texts'); run `invoke preview` again" in lines[-1]


def test_only_teachers_and_the_chapter_are_mentioned(site, content_dir, twitter, credentials):
    content = content_dir()
    source = content / "classes" / "2026-12-05-jurnalistik-foto.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Title: Jurnalistik Foto: Bercerita dengan Gambar",
            "Title: Foto .@budi RT@sari café@ana の@ken bareng @AkberPLB",
        ),
        encoding="utf-8",
    )
    settings = site(content)
    run("announce", settings, baseline=True)
    settings = site(content, now=EVENING_BEFORE)
    accepted(twitter, "9")

    run("remind", settings)

    (text,) = texts_sent(twitter)
    assert text.splitlines()[0] == "Pengingat: Foto .budi RTsari caféana のken bareng @AkberPLB"
    assert "Bersama @rina_foto_fiksi" in text


def test_remind_runs_even_when_announce_failed_and_the_ledger_is_committed():
    workflow = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    steps = {step.get("name", ""): step for step in workflow["jobs"]["publish"]["steps"]}
    remind = next(step for name, step in steps.items() if "reminders" in name)
    commit = steps["Commit the ledger"]

    assert remind["run"].endswith("invoke remind")
    assert remind["if"].startswith("always() && steps.deployment.outcome == 'success'")
    assert commit["if"].startswith("always()")
    announce = next(step for step in steps.values() if step.get("id") == "announce")
    assert "continue-on-error" not in announce  # a failed announce still fails the job


def test_a_class_address_too_long_for_a_post_is_found_by_check(content_dir, site_settings):
    content = content_dir()
    slug = "kelas-dengan-nama-pendek-yang-ternyata-panjang-sekali"
    source = content / "classes" / "2026-12-05-jurnalistik-foto.md"
    source.rename(content / "classes" / f"2026-12-05-{slug}.md")

    with pytest.raises(runner.BuildFailed) as failure:
        runner.check(site_settings(content))

    assert failure.value.problems == [
        f"content/classes/2026-12-05-{slug}.md:1: slug: 'kelas-dengan-nama-pe…' is "
        f"{len(slug)} characters long; the short name in the file name (the page address) may "
        "have at most 40"
    ]


def test_a_venue_of_200_cjk_characters_gets_a_page_with_a_bounded_address(
    site, content_dir, twitter, credentials
):
    content = content_dir()
    source = content / "classes" / "2026-12-05-jurnalistik-foto.md"
    venue = "会议室" * 67
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Venue: Studio Radio Suara Contoh FM", f"Venue: {venue}"
        ),
        encoding="utf-8",
    )

    settings = site(content)

    output = Path(settings["OUTPUT_PATH"])
    (page,) = [p for p in (output / "tempat").iterdir() if p.name.startswith("hui-yi-shi")]
    assert len(page.name) <= 60
    plan = json.loads((Path(settings["CACHE_PATH"]) / "announce-plan.json").read_text())
    (item,) = [i for i in plan["items"] if i["slug"] == "jurnalistik-foto"]
    assert item["texts"]["twitter"]["announcement"]["weighted_length"] <= 280


def as_written_before_networks(settings: dict) -> bytes:
    """The ledger as a kit that knew only X wrote it: version 1, `tweet_id`, no `networks`."""
    data = json.loads(ledger_file(settings).read_text(encoding="utf-8"))
    del data["networks"]
    data["version"] = 1
    data["records"] = [
        {("tweet_id" if key == "post_id" else key): value for key, value in record.items()}
        for record in data["records"]
    ]
    ledger_file(settings).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return ledger_file(settings).read_bytes()


@pytest.mark.parametrize(
    ("answer", "options"),
    [
        ({"status": 402, "json": {"title": "CreditsDepleted", "status": 402}}, QUICK),
        ({"status": 429, "json": {"title": "Too Many Requests", "status": 429}}, QUICK),
        (None, cli.Options(dry_run=True)),
    ],
    ids=["402", "429", "dry-run"],
)
def test_a_run_that_records_nothing_leaves_an_old_format_ledger_byte_for_byte(
    site, twitter, credentials, answer, options
):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    before = as_written_before_networks(settings)
    if answer:
        twitter.post(TWEETS, **answer)

    try:
        run("remind", settings, options)
    except cli.PublishFailed as failure:
        assert failure.code in (cli.EXIT_SETUP, cli.EXIT_FAILED)

    assert len(twitter.calls) == (1 if answer else 0)
    assert ledger_file(settings).read_bytes() == before
    assert run("announce", settings) == ["announce: nothing to post on X (Twitter)"]
    assert ledger_file(settings).read_bytes() == before


def test_the_first_run_that_records_something_upgrades_an_old_format_ledger(
    site, twitter, credentials
):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    as_written_before_networks(settings)
    accepted(twitter, "5")

    run("remind", settings)

    data = json.loads(ledger_file(settings).read_text(encoding="utf-8"))
    assert (data["version"], data["networks"]) == (2, ["twitter"])
    assert all("tweet_id" not in record for record in data["records"])
    assert data["records"][-1]["post_id"] == "5"


@pytest.mark.parametrize("retry_pending", [False, True], ids=["plain", "retry-pending"])
@pytest.mark.parametrize("command", ["announce", "remind"])
@pytest.mark.parametrize(
    ("kind", "change"), [("announcement", None), ("update", "rescheduled"), ("reminder", None)]
)
def test_a_pending_post_about_a_class_that_has_started_is_dropped_and_recorded(
    site, twitter, credentials, kind, change, command, retry_pending
):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    # The run that was killed before its request left, the evening before the class.
    leave_pending(settings, "jurnalistik-foto", kind, "2026-12-05T14:00:00+07:00", change=change)
    settings = site(now=AFTER_IT_STARTED)

    lines = run(command, settings, cli.Options(retry_pending=retry_pending))

    described = f"{kind} ({change}) jurnalistik-foto" if change else f"{kind} jurnalistik-foto"
    assert lines[0] == (
        f"{command}: dropped the pending {described} on X (Twitter): the class started at "
        "2026-12-05T14:00:00+07:00, so it is of no use any more. It may have been posted at "
        "2026-12-04T19:00:00+07:00 just before a run stopped (the account shows whether it was); "
        "it is recorded as dropped and never posted"
    )
    (dropped,) = [
        r
        for r in stored(settings)
        if r["slug"] == "jurnalistik-foto" and r["kind"] == kind and r["status"] != "baseline"
    ]
    assert (dropped["status"], dropped["dropped_at"]) == ("dropped", "2026-12-05T15:00:00+07:00")
    assert dropped["recorded_at"] == "2026-12-04T19:00:00+07:00"  # when it may have gone out
    # Every later run of the evening workflow is quiet again, and nothing is ever sent for it.
    for later in ("announce", "remind", "announce"):
        assert run(later, settings) == [f"{later}: nothing to post on X (Twitter)"]
    assert len(twitter.calls) == 0
    assert [r["status"] for r in stored(settings)].count("dropped") == 1


def test_a_dry_run_says_it_would_drop_and_changes_nothing(site, twitter, credentials):
    settings = site(now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "announcement", "2026-12-05T14:00:00+07:00")
    settings = site(now=AFTER_IT_STARTED)
    before = ledger_file(settings).read_bytes()

    lines = run("announce", settings, cli.Options(dry_run=True))

    assert lines[0].startswith(
        "announce: would drop the pending announcement jurnalistik-foto on X (Twitter): the class "
        "started at 2026-12-05T14:00:00+07:00"
    )
    assert "need settling" not in " ".join(lines)
    assert ledger_file(settings).read_bytes() == before


def test_a_pending_announcement_of_a_class_moved_to_later_still_waits_for_settle(
    site, content_dir, twitter, credentials
):
    content = content_dir()
    settings = site(content, now=EVENING_BEFORE)
    baselined(settings)
    leave_pending(settings, "jurnalistik-foto", "announcement", "2026-12-05T14:00:00+07:00")
    source = content / "classes" / "2026-12-05-jurnalistik-foto.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Start: 2026-12-05 14:00", "Start: 2026-12-12 14:00"
        ),
        encoding="utf-8",
    )
    source.rename(content / "classes" / "2026-12-12-jurnalistik-foto.md")
    settings = site(content, now=AFTER_IT_STARTED)

    code, lines = failing("announce", settings)

    # The class has not started at its new time: the post may still matter, a person decides.
    assert code == cli.EXIT_ATTENTION
    assert not [line for line in lines if "dropped" in line]
    assert [r["status"] for r in stored(settings)].count("pending") == 1


def test_a_pending_post_is_dropped_on_its_own_network_only(site, networks):
    settings = site(networks=["twitter", "mastodon"], now=EVENING_BEFORE)
    run("announce", settings, baseline=True)
    leave_pending(
        settings, "jurnalistik-foto", "reminder", "2026-12-05T14:00:00+07:00", network="mastodon"
    )
    leave_pending(settings, "kewirausahaan-sosial", "update", "2027-01-09T09:00:00+07:00")
    settings = site(networks=["twitter", "mastodon"], now=AFTER_IT_STARTED)
    networks.answer_all()

    code, lines = failing("remind", settings)

    assert code == cli.EXIT_ATTENTION  # the update of a class still to come waits for settle
    assert [line for line in lines if "dropped" in line] == [
        "remind: dropped the pending reminder jurnalistik-foto on Mastodon: the class started at "
        "2026-12-05T14:00:00+07:00, so it is of no use any more. It may have been posted at "
        "2026-12-04T19:00:00+07:00 just before a run stopped (the account shows whether it was); "
        "it is recorded as dropped and never posted"
    ]
    assert {
        (r["network"], r["slug"], r["status"])
        for r in stored(settings)
        if r["status"] in ("dropped", "pending")
    } == {
        ("mastodon", "jurnalistik-foto", "dropped"),
        ("twitter", "kewirausahaan-sosial", "pending"),
    }
