"""The mailing-list adapter: one e-mail per post (plain text with an HTML alternative and the
class's .ics attached; a recap's photos linked, not attached) through smtplib to a Google Group,
a Mailman list or any list address."""

from __future__ import annotations

import html
import ipaddress
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import urlsplit

from ...model import Chapter
from ..compose import TextRules
from ..send import Message, NotAllowed, RateLimited, Rejected, Sent, Unavailable
from . import Network

NAME = "email"
LIMIT = 10_000  # no network limit; a sanity bound for a template gone wrong
CREDENTIALS = ("SMTP_HOST", "ANNOUNCE_EMAIL_FROM", "ANNOUNCE_EMAIL_TO")
# A local relay needs no login; a provider's server does (both or neither).
OPTIONAL = ("SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_SECURITY")
SECURITY = {"starttls": 587, "tls": 465, "none": 25}  # and each one's usual port
TIMEOUT_SECONDS = 30
LINK = re.compile(r"https?://\S+")
PHOTO_HEADINGS = {"id": "Foto kegiatan:", "en": "Photos:"}
MESSAGE_ID = re.compile(r"^(?:mid:|<)?(?P<id>[^<>\s@]+@[^<>\s@]+)>?$")


def length(text: str) -> int:
    """Characters of subject and body."""
    return len(text)


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (a local relay), where mail may travel unencrypted."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def html_body(text: str) -> str:
    """The plain-text body as simple HTML: paragraphs, line breaks and live links."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            escaped, at = [], 0
            for found in LINK.finditer(line):
                escaped.append(html.escape(line[at : found.start()]))
                url = html.escape(found[0])
                escaped.append(f'<a href="{url}">{url}</a>')
                at = found.end()
            escaped.append(html.escape(line[at:]))
            lines.append("".join(escaped))
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(paragraphs) + "\n</body></html>\n"


def photo_links(message: Message) -> str:
    """A recap's photos as addresses on the site, each after its alt text; "" without photos.

    Linked, not attached: a list refuses or holds large mail (Mailman's default limit is 40 KB),
    and a reader on a slow phone downloads only the photos they open.
    """
    if not message.photos:
        return ""
    heading = PHOTO_HEADINGS.get(message.language, PHOTO_HEADINGS["en"])
    lines = [f"{photo.alt}:\n{photo.url}" for photo in message.photos]
    return "\n\n" + heading + "\n\n" + "\n\n".join(lines)


class EmailSender:
    """Sends each post as an e-mail to the list address."""

    network = NAME

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._host = environ["SMTP_HOST"].strip()
        self._from = environ["ANNOUNCE_EMAIL_FROM"].strip()
        self._to = environ["ANNOUNCE_EMAIL_TO"].strip()
        self._security = (environ.get("SMTP_SECURITY", "").strip() or "starttls").lower()
        if self._security not in SECURITY:
            raise NotAllowed(
                f"SMTP_SECURITY is '{self._security}'; it must be starttls (the default), tls "
                "or none"
            )
        if self._security == "none" and not is_loopback(self._host):
            # The password and the list's mail would cross the internet readable by anyone.
            raise NotAllowed(
                f"SMTP_SECURITY=none is allowed only for a relay on this machine (localhost, "
                f"127.0.0.1), not for {self._host}: use starttls (port 587) or tls (port 465)"
            )
        port = environ.get("SMTP_PORT", "").strip()
        if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
            raise NotAllowed(f"SMTP_PORT is '{port}', not a port number like 587")
        self._port = int(port) if port else SECURITY[self._security]
        self._username = environ.get("SMTP_USERNAME", "").strip()
        self._password = environ.get("SMTP_PASSWORD", "")
        if bool(self._username) != bool(self._password):
            raise NotAllowed("set both SMTP_USERNAME and SMTP_PASSWORD, or neither")

    def post(self, message: Message) -> Sent:
        """Send one e-mail; an update answers the announcement's (In-Reply-To, References)."""
        mail = self._mail(message)
        try:
            self._send(mail)
        except smtplib.SMTPAuthenticationError as error:
            raise NotAllowed(
                f"the mail server refused the login ({error.smtp_code}): check SMTP_USERNAME "
                "and SMTP_PASSWORD (Gmail and Google Workspace need an app password)"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise NotAllowed(
                f"{self._host} does not offer {self._security.upper()} or login on port "
                f"{self._port}; check SMTP_SECURITY and SMTP_PORT"
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused) as error:
            raise NotAllowed(
                f"the mail server refused the addresses ({_codes(error)}): check "
                "ANNOUNCE_EMAIL_FROM and ANNOUNCE_EMAIL_TO, and that the list accepts mail from "
                "the sender"
            ) from None
        except smtplib.SMTPResponseException as error:
            if error.smtp_code == 421:
                raise RateLimited(f"the mail server asked to wait ({error.smtp_code})") from None
            if 400 <= error.smtp_code < 500:
                raise Unavailable(f"the mail server answered {error.smtp_code}") from None
            raise Rejected(f"the mail server refused the e-mail ({error.smtp_code})") from None
        except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
            raise Unavailable(f"no answer from {self._host} ({type(error).__name__})") from None
        message_id = mail["Message-ID"]
        return Sent(message_id, f"mid:{message_id.strip('<>')}")

    def _mail(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = self._from
        mail["To"] = self._to
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        # The same id for every attempt at one post: lists and mail readers drop a repeat.
        domain = message.domain or parseaddr(self._from)[1].rsplit("@", 1)[-1]
        mail["Message-ID"] = f"<{message.key}@{domain}>"
        if message.reply_to is not None:
            mail["In-Reply-To"] = message.reply_to.post_id
            mail["References"] = message.reply_to.post_id
        body = message.body + photo_links(message)
        mail.set_content(body)
        mail.add_alternative(html_body(body), subtype="html")
        if message.ics:
            slug = urlsplit(message.link).path.rstrip("/").rsplit("/", 1)[-1] or "kelas"
            mail.add_attachment(
                message.ics,
                maintype="text",
                subtype="calendar",
                filename=f"{slug}.ics",
                params={"method": "PUBLISH"},
            )
        return mail

    def _send(self, mail: EmailMessage) -> None:
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if self._security == "tls":
            server = smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            server = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS)
        with server:
            if self._security == "starttls":
                server.starttls(context=context)
            if self._username:
                server.login(self._username, self._password)
            server.send_message(mail)


def _codes(error: smtplib.SMTPSenderRefused | smtplib.SMTPRecipientsRefused) -> str:
    if isinstance(error, smtplib.SMTPSenderRefused):
        return str(error.smtp_code)
    return ", ".join(str(code) for code, _ in error.recipients.values())


def _connect(environ: Mapping[str, str], chapter: Chapter) -> EmailSender:
    return EmailSender(environ)


def post_id_from_url(url: str) -> str | None:
    """The e-mail's Message-ID from `mid:id@host` or `<id@host>`, or None."""
    found = MESSAGE_ID.match(url.strip())
    return f"<{found['id']}>" if found else None


NETWORK = Network(
    name=NAME,
    title="Mailing list",
    credentials=CREDENTIALS,
    rules=TextRules(LIMIT, length, NAME),
    connect=_connect,
    post_id_from_url=post_id_from_url,
    optional=OPTIONAL,
    setup="Mailing list",
)
