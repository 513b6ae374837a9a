"""After the class: one recap per network with its photos and alt texts, as a reply to the
announcement, through each network's real client (`responses`, `respx`, aiosmtpd)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import network_servers as servers
import pytest
from PIL import Image

from berbagi.publish import cli
from berbagi.publish.media import PhotoLimits, fit_photo
from berbagi.settings import load as kit_settings

ALL = ["twitter", "facebook", "telegram", "mastodon", "bluesky", "email"]
CLASS_FILE = "2026-12-05-jurnalistik-foto.md"  # 5 December 2026, 14.00-16.30
BEFORE = "2026-11-28T09:00:00+07:00"
NEXT_MORNING = "2026-12-06T10:00:00+07:00"
ALTS = [
    "Peserta memotret pedagang di Pasar 16 Ilir",
    "Rina menunjukkan cerita foto lima gambar di layar",
    "Peserta berdiskusi tentang keterangan foto",
    "Foto bersama peserta di depan studio",
    "Papan tulis dengan daftar etika memotret orang",
]
RECAP_TEXT = "Terima kasih Rina dan Radio Suara Contoh FM atas ruangannya!"
QUICK = {"sleep": lambda seconds: None}


def ledger_path(settings: dict) -> Path:
    return Path(settings["SOCIAL_PUBLISH"]["ledger"])


def records(settings: dict) -> list[dict]:
    return json.loads(ledger_path(settings).read_text(encoding="utf-8"))["records"]


def started_ledger(settings: dict, networks: list[str]) -> None:
    chapter = {"domain": "palembang.akademiberbagi.example", "twitter": "AkberPLB"}
    ledger_path(settings).write_text(
        json.dumps({"version": 2, "chapter": chapter, "networks": networks, "records": []})
    )


def announce(settings: dict, **flags) -> list[str]:
    lines: list[str] = []
    cli.announce(kit_settings(settings), cli.Options(**{**QUICK, **flags}), out=lines.append)
    return lines


def failing(settings: dict, **flags) -> tuple[int, str]:
    with pytest.raises(cli.PublishFailed) as failure:
        announce(settings, **flags)
    return failure.value.code, str(failure.value)


def phone_photo(path: Path, size: tuple[int, int], noisy: bool = False) -> None:
    """A photo as a phone saves it: a camera name and a GPS position in its EXIF."""
    if noisy:  # noise does not compress: a large file at any quality
        rng = random.Random(size[0])
        image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    else:
        image = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Pocket Camera 9"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (2.0, 59.0, 24.0)
    image.save(path, "JPEG", quality=95, exif=exif)


def add_recap(
    content: Path,
    photos: int = 2,
    participants: int | None = 21,
    recap: str = RECAP_TEXT,
    noisy: bool = False,
    name: str = CLASS_FILE,
    size: tuple[int, int] = (1440, 1100),
) -> None:
    """What the organizer adds the day after: photos, the count, and a few words."""
    folder = content / "images" / "recap"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for number in range(photos):
        # Only the first is noise (large at any quality): fitting it is the slow part.
        phone_photo(folder / f"foto-{number + 1}.jpg", size, noisy and number == 0)
        lines.append(f"Photo: images/recap/foto-{number + 1}.jpg | {ALTS[number]}")
    if participants is not None:
        lines.append(f"Participants: {participants}")
    if recap:
        lines.append(f"Recap: {recap}")
    source = content / "classes" / name
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Status: scheduled\n", "Status: scheduled\n" + "\n".join(lines) + "\n", 1)
    )


@pytest.fixture
def announced(site, networks, content_dir):
    """The sample site, its classes announced on the networks asked for on 28 November; the
    returned `after(networks, now, **recap)` adds the recap and builds the next morning."""
    content = content_dir()

    def start(names: list[str] = ALL, pelican: dict | None = None, **social) -> callable:
        settings = site(content, now=BEFORE, networks=names, pelican=pelican, **social)
        started_ledger(settings, names)
        networks.answer_all()
        networks.answer_uploads()
        announce(settings)

        def after(now: str = NEXT_MORNING, **recap) -> dict:
            if recap.pop("add", True):
                add_recap(content, **recap)
            return site(content, now=now, networks=names, pelican=pelican, **social)

        return after

    return start


def status_form(networks) -> dict[str, list[str]]:
    """The last Mastodon status as posted, every value of each field."""
    from urllib.parse import parse_qs

    request = [r for name, r in networks.calls("mastodon") if name == "statuses"][-1]
    return parse_qs(request.body if isinstance(request.body, str) else request.body.decode())


def recap_records(settings: dict) -> list[dict]:
    return [r for r in records(settings) if r["kind"] == "recap"]


def announcement_of(settings: dict, network: str) -> dict:
    return next(
        r
        for r in records(settings)
        if r["kind"] == "announcement"
        and r["slug"] == "jurnalistik-foto"
        and r["network"] == network
    )


def test_mastodon_uploads_each_photo_with_its_alt_then_replies_with_them(announced, networks):
    settings = announced(["mastodon"])()

    announce(settings)

    calls = networks.calls("mastodon")
    recap_calls = calls[[name for name, _ in calls].index("media") :]
    assert [name for name, _ in recap_calls] == ["media", "media", "statuses"]
    descriptions = [servers.form_parts(request)["description"] for _, request in recap_calls[:2]]
    assert descriptions == ALTS[:2]
    status = networks.bodies("mastodon")[-1]
    assert status_form(networks)["media_ids[]"] == ["m101", "m102"]  # Mastodon.py sends a form
    assert status["in_reply_to_id"] == announcement_of(settings, "mastodon")["post_id"]
    assert status["status"].startswith("Terima kasih sudah datang ke Jurnalistik Foto")
    assert RECAP_TEXT in status["status"]
    assert "Hadir: 21 peserta" in status["status"]
    (recap,) = recap_records(settings)
    assert (recap["status"], recap["network"], recap["slug"]) == (
        "posted",
        "mastodon",
        "jurnalistik-foto",
    )
    assert announce(settings) == ["announce: nothing to post on Mastodon"]


def test_mastodon_waits_for_a_photo_the_server_is_still_processing(
    announced, networks, monkeypatch
):
    from berbagi.publish.networks import mastodon

    monkeypatch.setattr(mastodon, "PROCESSING_WAIT_SECONDS", 0)
    settings = announced(["mastodon"])(photos=1)
    networks.http.remove("POST", f"{servers.MASTODON}/api/v2/media")
    processing = {"id": "m7", "type": "image", "url": None, "description": ALTS[0]}
    networks.http.post(f"{servers.MASTODON}/api/v2/media", status=202, json=processing)
    checks = [processing, {**processing, "url": f"{servers.MASTODON}/media/m7.jpg"}]
    networks.http.add_callback(
        "GET",
        f"{servers.MASTODON}/api/v1/media/m7",
        callback=lambda request: (200, {}, json.dumps(checks.pop(0))),
    )

    announce(settings)

    names = [name for name, _ in networks.calls("mastodon")]
    assert names[-4:] == ["media", "m7", "m7", "statuses"]  # asked twice, then posted
    assert status_form(networks)["media_ids[]"] == ["m7"]


def test_bluesky_embeds_at_most_four_photos_each_under_a_million_bytes_with_alt_and_ratio(
    announced, networks
):
    settings = announced(
        ["bluesky"], pelican={"CLASS_PHOTOS": {"quality": 95, "widths": (480, 2400)}}
    )(photos=5, noisy=True, size=(2000, 1500))
    copy = Path(settings["OUTPUT_PATH"]) / "foto" / "jurnalistik-foto" / "foto-1-2000.jpg"
    assert copy.stat().st_size > 1_500_000  # the kit's own copy is too big for Bluesky

    announce(settings)

    blobs = [
        request
        for name, request in networks.calls("bluesky")
        if name == "com.atproto.repo.uploadBlob"
    ]
    recap_blobs = blobs[-4:]
    assert len(blobs) >= 4
    assert len(recap_blobs[0].content) > 900_000  # the noisy one, made just small enough
    for request in recap_blobs:
        assert len(request.content) < 1_000_000
        picture = Image.open(io.BytesIO(request.content))
        assert picture.format == "JPEG" and not picture.getexif()
        assert b"PhoneMaker" not in request.content
    record = networks.bodies("bluesky")[-1]["record"]
    images = record["embed"]["images"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    assert [image["alt"] for image in images] == ALTS[:4]  # the fifth stays on the site
    ratio = images[0]["aspectRatio"]
    assert abs(ratio["width"] / ratio["height"] - 2000 / 1500) < 0.01
    announced_post = announcement_of(settings, "bluesky")
    assert record["reply"]["parent"]["uri"] == announced_post["reply"]["uri"]
    assert record["reply"]["root"]["cid"] == announced_post["reply"]["cid"]


def test_telegram_sends_one_album_with_the_caption_on_its_first_photo_as_a_reply(
    announced, networks
):
    settings = announced(["telegram"])()

    announce(settings)

    ((name, request),) = [(n, r) for n, r in networks.calls("telegram") if n == "sendMediaGroup"]
    fields = servers.form_parts(request)
    media = json.loads(fields["media"])
    assert [item["media"] for item in media] == ["attach://photo1", "attach://photo2"]
    assert "caption" in media[0] and "caption" not in media[1]
    assert media[0]["caption"].startswith("Terima kasih sudah datang ke Jurnalistik Foto")
    assert json.loads(fields["reply_parameters"]) == {
        "message_id": int(announcement_of(settings, "telegram")["post_id"]),
        "allow_sending_without_reply": True,
    }
    for photo in ("photo1", "photo2"):
        assert Image.open(io.BytesIO(fields[photo])).size == (1440, 1100)
    assert recap_records(settings)[0]["url"].startswith("https://t.me/akberplb/")


def test_a_telegram_caption_is_cut_to_1024(announced, networks):
    # 912 characters of fixed text: with the chapter's words, more than a caption takes.
    long_thanks = "Terima kasih semuanya. " * 38 + "Sampai jumpa lagi di kelas berikutnya!"
    social = {"templates": {"telegram": {"recap": long_thanks + "\n{recap}\n{url}"}}}
    settings = announced(["telegram"], **social)()

    lines = announce(settings, dry_run=True)
    announce(settings)

    (request,) = [r for n, r in networks.calls("telegram") if n == "sendMediaGroup"]
    caption = json.loads(servers.form_parts(request)["media"])[0]["caption"]
    assert len(caption.encode("utf-16-le")) // 2 <= 1024
    assert caption.endswith("https://palembang.akademiberbagi.example/kelas/jurnalistik-foto/")
    assert "…" in caption  # the chapter's words gave way, the link did not
    assert any("recap jurnalistik-foto" in line and "/1024)" in line for line in lines)


def test_one_photo_on_telegram_is_a_single_photo_message(announced, networks):
    settings = announced(["telegram"])(photos=1)

    announce(settings)

    names = [name for name, _ in networks.calls("telegram")]
    assert "sendPhoto" in names and "sendMediaGroup" not in names
    (request,) = [r for n, r in networks.calls("telegram") if n == "sendPhoto"]
    assert servers.form_parts(request)["photo"] == "attach://photo1"


def test_the_mailing_list_gets_the_photos_linked_not_attached(announced, networks):
    settings = announced(["email"])()

    announce(settings)

    mail = networks.mailbox.messages[-1]
    assert (
        mail["Subject"]
        == "Terima kasih: Jurnalistik Foto: Bercerita dengan Gambar (Sabtu, 5 Desember 2026)"
    )
    assert mail["In-Reply-To"].strip() == announcement_of(settings, "email")["post_id"]
    types = [part.get_content_type() for part in mail.walk()]
    assert "image/jpeg" not in types and "text/calendar" not in types
    body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    site = "https://palembang.akademiberbagi.example"
    assert f"{ALTS[0]}:\n{site}/foto/jurnalistik-foto/foto-1-1440.jpg" in body
    assert RECAP_TEXT in body
    assert len(mail.as_bytes()) < 40_000  # under Mailman's default limit


def test_facebook_uploads_unpublished_photos_then_one_post_with_them(announced, networks):
    settings = announced(["facebook"])()

    announce(settings)

    calls = networks.calls("facebook")
    names = [name for name, _ in calls]
    assert names[-3:] == ["photos", "photos", "feed"]
    uploads = [servers.form_parts(request) for name, request in calls if name == "photos"]
    assert [(u["published"], u["alt_text_custom"]) for u in uploads] == [
        ("false", a) for a in ALTS[:2]
    ]
    assert all(b"PhoneMaker" not in u["source"] for u in uploads)
    post = networks.bodies("facebook")[-1]
    assert json.loads(post["attached_media[0]"]) == {"media_fbid": "55101"}
    assert json.loads(post["attached_media[1]"]) == {"media_fbid": "55102"}
    assert "link" not in post  # the photos are the post; its text links the page
    assert post["message"].startswith("Terima kasih sudah datang")


def test_x_uploads_each_photo_sets_its_alt_text_and_replies_with_the_media(announced, networks):
    settings = announced(["twitter"])()

    lines = announce(settings, dry_run=True)
    announce(settings)

    names = [name for name, _ in networks.calls("twitter")]
    assert names[-5:] == ["upload", "metadata", "upload", "metadata", "tweets"]
    metadata = [json.loads(r.body) for n, r in networks.calls("twitter") if n == "metadata"]
    assert metadata == [
        {"id": "77101", "metadata": {"alt_text": {"text": ALTS[0]}}},
        {"id": "77102", "metadata": {"alt_text": {"text": ALTS[1]}}},
    ]
    upload = next(r for n, r in networks.calls("twitter") if n == "upload")
    signature = upload.headers["Authorization"]
    assert (signature.decode() if isinstance(signature, bytes) else signature).startswith("OAuth ")
    assert servers.form_parts(upload)["media_category"] == "tweet_image"
    tweet = networks.bodies("twitter")[-1]
    assert tweet["media"] == {"media_ids": ["77101", "77102"]}
    assert tweet["reply"] == {
        "in_reply_to_tweet_id": announcement_of(settings, "twitter")["post_id"]
    }
    assert "1 post(s) would be sent, about 0.20 USD (0.20 a post with a link)" in " ".join(lines)


WITH_UPLOADS = ["twitter", "facebook", "telegram", "mastodon", "bluesky"]
UPLOADS = {
    "twitter": servers.X_MEDIA,
    "facebook": f"{servers.GRAPH}/{servers.PAGE_ID}/photos",
    "telegram": f"{servers.TELEGRAM}/bot{servers.BOT_TOKEN}/sendMediaGroup",  # photos and post
    "mastodon": f"{servers.MASTODON}/api/v2/media",
}
BLOB = {"blob": {"$type": "blob", "ref": {"$link": servers.BLOB_CID}, "mimeType": "image/jpeg",
                 "size": 1000}}  # fmt: skip
LIMITED = {
    "twitter": (429, {"title": "Too Many Requests", "status": 429}),
    "facebook": (400, {"error": {"message": "Application request limit reached", "code": 4}}),
    "telegram": (429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                       "parameters": {"retry_after": 9}}),
    "mastodon": (429, {"error": "Too many requests"}),
    "bluesky": (429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}),
}  # fmt: skip
BROKEN = {
    **{network: (503, {"error": {"message": "unavailable", "code": 2}, "title": "down"})
       for network in WITH_UPLOADS},
    "bluesky": (500, {"error": "InternalServerError", "message": "Internal Server Error"}),
}  # fmt: skip


def answer(network: str, status: int, body: dict):
    """A server's answer as its mock library wants it."""
    if network == "bluesky":
        return servers.httpx.Response(status, json=body)
    return status, {}, json.dumps(body)


def on_upload(networks, network: str, callback) -> None:
    """The network's photo uploads answered by `callback(request, working)`; `working` is the
    answer of a server that takes the photo."""
    if network == "bluesky":
        working = lambda request: servers.httpx.Response(200, json=BLOB)  # noqa: E731
        networks.bluesky.post("/xrpc/com.atproto.repo.uploadBlob").mock(
            side_effect=lambda request: callback(request, working)
        )
        return
    working = {"twitter": networks._x_media, "facebook": networks._facebook_photo,
               "telegram": networks._album, "mastodon": networks._media}[network]  # fmt: skip
    networks.http.remove("POST", UPLOADS[network])
    networks.http.add_callback(
        "POST", UPLOADS[network], callback=lambda request: callback(request, working)
    )


def test_a_rate_limit_during_an_upload_stops_that_network_alone_and_records_nothing(
    announced, networks
):
    settings = announced(ALL)()
    for network in WITH_UPLOADS:
        on_upload(networks, network, lambda request, working, n=network: answer(n, *LIMITED[n]))
    before = {network: networks.accepted(network) for network in WITH_UPLOADS}

    code, message = failing(settings)

    assert code == cli.EXIT_FAILED
    lines = message.splitlines()
    assert lines[0] == "announce: 5 networks failed; the others posted:"
    assert all("rate limit" in line.lower() for line in lines[1:]), lines
    assert {network: networks.accepted(network) for network in WITH_UPLOADS} == before
    # Only the mailing list, which uploads nothing, has its recap.
    assert [(r["network"], r["status"]) for r in recap_records(settings)] == [("email", "posted")]


def test_a_server_error_during_an_upload_is_retried_and_the_recap_posted_once(announced, networks):
    settings = announced(WITH_UPLOADS)()
    failed: list[str] = []

    def once_broken(request, working, network):
        if network in failed:
            return working(request)
        failed.append(network)
        return answer(network, *BROKEN[network])

    for network in WITH_UPLOADS:
        on_upload(networks, network, lambda r, w, n=network: once_broken(r, w, n))
    before = {network: networks.accepted(network) for network in WITH_UPLOADS}

    lines = announce(settings)

    assert failed == WITH_UPLOADS
    assert sum("trying again in 2 s" in line for line in lines) == 5
    after = {network: networks.accepted(network) for network in WITH_UPLOADS}
    # One post each (Telegram's album of two photos is two messages).
    assert after == {n: before[n] + (2 if n == "telegram" else 1) for n in WITH_UPLOADS}
    assert sorted((r["network"], r["status"]) for r in recap_records(settings)) == sorted(
        (network, "posted") for network in WITH_UPLOADS
    )


def test_the_pending_record_is_on_disk_before_the_first_upload(announced, networks):
    uploading = ["twitter", "facebook", "mastodon", "bluesky"]
    settings = announced(uploading)()
    seen: dict[str, list[list[str]]] = {network: [] for network in uploading}

    def look(request, working, network):
        found = [r["status"] for r in recap_records(settings) if r["network"] == network]
        seen[network].append(found)
        return working(request)

    for network in uploading:
        on_upload(networks, network, lambda r, w, n=network: look(r, w, n))

    announce(settings)

    # Both photos went up with the intent on disk, on each network.
    assert seen == {network: [["pending"], ["pending"]] for network in uploading}
    assert [r["status"] for r in recap_records(settings)] == ["posted"] * 4


class Killed(BaseException):
    """The runner's process ends mid-run (a cancelled job, a power cut): nothing catches it."""


def test_a_crash_between_the_uploads_and_the_post_leaves_it_pending_until_settled(
    announced, networks, monkeypatch
):
    settings = announced(ALL)()
    dying = set(ALL)  # networks whose post kills the run, once their photos are up

    def post_or_die(network, working):
        def post(request):
            if network in dying:
                raise Killed
            return working(request)

        return post

    posts = {
        "twitter": (servers.TWEETS, networks._tweet),
        "facebook": (f"{servers.GRAPH}/{servers.PAGE_ID}/feed", networks._facebook),
        "telegram": (UPLOADS["telegram"], networks._album),
        "mastodon": (f"{servers.MASTODON}/api/v1/statuses", networks._mastodon),
    }
    for network, (url, working) in posts.items():
        networks.http.remove("POST", url)
        networks.http.add_callback("POST", url, callback=post_or_die(network, working))
    networks.bluesky.routes["createRecord"].side_effect = post_or_die("bluesky", networks._bluesky)
    import smtplib

    real_send = smtplib.SMTP.send_message

    def send_or_die(server, *args, **kwargs):
        if "email" in dying:
            raise Killed
        return real_send(server, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", send_or_die)

    for network in ALL:  # in the order announce goes through them
        with pytest.raises(Killed):
            announce(settings)
        pending = [r["network"] for r in recap_records(settings) if r["status"] == "pending"]
        assert pending == [network]
        # Until somebody looks at the account, that network posts nothing and says why.
        code, _ = failing(settings, network=network)
        assert code == cli.EXIT_ATTENTION
        # It is not there: settled as not posted, and the next run sends it.
        cli.settle(
            kit_settings(settings),
            "jurnalistik-foto",
            not_posted=True,
            kind="recap",
            network=network,
            out=lambda line: None,
        )
        dying.discard(network)
    announce(settings)

    assert sorted(r["network"] for r in recap_records(settings)) == sorted(ALL)
    assert {r["status"] for r in recap_records(settings)} == {"posted"}
    assert all("nothing to post" in line for line in announce(settings))


def test_settle_posted_records_a_recap_that_went_out(announced, networks):
    settings = announced(["mastodon"])()

    def killed(request):
        raise Killed

    networks.http.remove("POST", f"{servers.MASTODON}/api/v1/statuses")
    networks.http.add_callback("POST", f"{servers.MASTODON}/api/v1/statuses", callback=killed)
    with pytest.raises(Killed):
        announce(settings)

    url = f"{servers.MASTODON}/@akberplb/999"
    cli.settle(kit_settings(settings), "jurnalistik-foto", posted_url=url, kind="recap", out=print)

    (recap,) = recap_records(settings)
    assert (recap["status"], recap["post_id"], recap["url"]) == ("posted", "999", url)
    assert announce(settings) == ["announce: nothing to post on Mastodon"]


def test_no_recap_more_than_the_window_after_the_class(announced, networks):
    after = announced(["mastodon"])
    too_late = after(now="2027-01-05T10:00:00+07:00")  # 31 days after 5 December

    assert announce(too_late) == ["announce: nothing to post on Mastodon"]
    assert recap_records(too_late) == []


def test_the_window_is_a_setting(site, networks, content_dir):
    content = content_dir()
    settings = site(content, now=BEFORE, networks=["mastodon"], recap_window_days=45)
    started_ledger(settings, ["mastodon"])
    networks.answer_all()
    networks.answer_uploads()
    announce(settings)
    add_recap(content)
    settings = site(
        content, now="2027-01-05T10:00:00+07:00", networks=["mastodon"], recap_window_days=45
    )

    lines = announce(settings)

    assert lines[-1].startswith("announce: posted recap jurnalistik-foto")


def test_a_cancelled_class_never_gets_a_recap(announced, networks, content_dir):
    after = announced(["mastodon"])
    settings = after()
    source = Path(settings["PATH"]) / "classes" / CLASS_FILE
    source.write_text(source.read_text().replace("Status: scheduled", "Status: cancelled"))
    from berbagi.glue import runner

    runner.build(settings)

    lines = announce(settings)

    assert not any("recap" in line for line in lines)
    assert recap_records(settings) == []


def test_a_class_that_has_not_ended_gets_no_recap_yet(announced, networks):
    settings = announced(["mastodon"])(now="2026-12-05T15:00:00+07:00")  # during the class

    lines = announce(settings)

    assert not any("recap" in line for line in lines)


def test_a_ledger_from_before_recaps_counts_classes_already_over_as_recapped(
    site, networks, content_dir
):
    content = content_dir()
    settings = site(content, now=BEFORE, networks=["mastodon"])
    started_ledger(settings, ["mastodon"])
    networks.answer_all()
    networks.answer_uploads()
    announce(settings)
    # The ledger as a kit without recaps wrote it: no recaps_since.
    data = json.loads(ledger_path(settings).read_text())
    data.pop("recaps_since")
    ledger_path(settings).write_text(json.dumps(data, indent=2))
    before = ledger_path(settings).read_bytes()
    add_recap(content)  # photos of a class that ended before the kit knew recaps
    settings = site(content, now=NEXT_MORNING, networks=["mastodon"])

    assert announce(settings) == ["announce: nothing to post on Mastodon"]
    assert announce(settings, dry_run=True)[-1].startswith("announce: nothing to post")
    assert ledger_path(settings).read_bytes() == before  # a run that records nothing writes nothing
    assert recap_records(settings) == []


def test_a_new_ledger_knows_recaps_from_its_baseline(site, networks, content_dir):
    content = content_dir()
    settings = site(content, now=BEFORE, networks=["mastodon"])
    announce_lines: list[str] = []
    cli.announce(
        kit_settings(settings), cli.Options(**QUICK), baseline=True, out=announce_lines.append
    )

    data = json.loads(ledger_path(settings).read_text())

    assert data["recaps_since"] == BEFORE
    networks.answer_all()
    networks.answer_uploads()
    add_recap(content)
    settings = site(content, now=NEXT_MORNING, networks=["mastodon"])
    assert announce(settings)[-1].startswith("announce: posted recap jurnalistik-foto")


def test_a_recap_of_words_alone_needs_no_photo_and_a_missing_count_reads_naturally(
    announced, networks
):
    settings = announced(["mastodon", "bluesky"])(photos=0, participants=None)

    announce(settings)

    status = networks.bodies("mastodon")[-1]["status"]
    assert RECAP_TEXT in status
    assert "Hadir" not in status and "None" not in status
    assert "media_ids[]" not in status_form(networks)
    record = networks.bodies("bluesky")[-1]["record"]
    assert record["embed"]["$type"] == "app.bsky.embed.external"  # the page's card, as usual


def test_the_cap_counts_recaps_and_news_goes_first(announced, networks, content_dir):
    # One post a run: on 28 November only the first class was announced.
    settings = announced(["mastodon"], max_posts=1)()

    first = announce(settings)
    second = announce(settings)

    assert first == [
        f"announce: posted announcement kewirausahaan-sosial: {servers.MASTODON}/@akberplb/102",
        "announce: 1 more post(s) wait for the next run (at most 1 per run)",
    ]
    assert second == [f"announce: posted recap jurnalistik-foto: {servers.MASTODON}/@akberplb/103"]


def test_the_dry_run_lists_each_photo_with_its_size_per_network(announced, networks):
    settings = announced(ALL)(photos=5)

    lines = announce(settings, dry_run=True)

    text = "\n".join(lines)
    assert "[1/1] recap jurnalistik-foto, in reply to 101 (" in text
    photo_lines = [line for line in lines if line.startswith("photo ")]
    # The first four photos on each of the six networks; the fifth stays on the site.
    assert len(photo_lines) == 4 * 6
    assert "photo 1/4: 1440×1100 px, " in text
    assert "(JPEG, no metadata; at most 1,000,000)" in text  # Bluesky's limit
    assert (
        "photo 4/4: linked, not attached: https://palembang.akademiberbagi.example/foto/"
        "jurnalistik-foto/foto-4-1440.jpg (1440×1100 px, "
    ) in text
    assert "foto-5" not in text
    assert f'alt "{ALTS[0]}"' in text
    assert recap_records(settings) == []


def test_fitting_a_photo_keeps_no_metadata_and_never_upscales(tmp_path):
    source = tmp_path / "foto.jpg"
    phone_photo(source, (2400, 1600), noisy=True)

    small = fit_photo(source, PhotoLimits(count=4, bytes=300_000, side=2000))
    same = fit_photo(source, PhotoLimits(count=4, bytes=300_000, side=2000))
    large = fit_photo(source, PhotoLimits(count=4, bytes=50_000_000, side=8000))

    assert len(small.data) <= 300_000 and max(small.width, small.height) <= 2000
    assert small == same  # a dry run shows exactly the bytes a real run sends
    assert (large.width, large.height) == (2400, 1600)
    for fitted in (small, large):
        picture = Image.open(io.BytesIO(fitted.data))
        assert not picture.getexif() and "exif" not in picture.info
        assert b"PhoneMaker" not in fitted.data and b"Pocket Camera" not in fitted.data
