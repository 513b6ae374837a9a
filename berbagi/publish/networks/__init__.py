"""The networks the publisher can post to: one adapter module each, listed in NETWORKS.

An adapter module defines NETWORK, a `Network` that says which environment variables switch it
on, how it measures a text, and how to connect a sender. Adding a network is one module here and
one entry below; the plan, the ledger and the commands treat every network the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...model import Chapter
from ...settings import Settings, SettingsError
from ...urls import longest_class_path
from ..compose import TextRules, template_length_problems
from ..media import PhotoLimits
from ..send import Sender

# Client libraries log requests at DEBUG (and httpx at INFO): headers, bodies, and for Telegram a
# URL with the bot's token in it. No secret may reach a log at any level, so they say only
# warnings and worse, whatever level a run is debugged at.
QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "urllib3",
    "requests",
    "requests_oauthlib",
    "oauthlib",
    "mastodon",
    "atproto",
    "atproto_client",
    "atproto_core",
    "mail.log",  # aiosmtpd, in tests
)
for _chatty in QUIET_LOGGERS:
    logging.getLogger(_chatty).setLevel(logging.WARNING)


@dataclass(frozen=True)
class Network:
    """One network's adapter, as the publisher sees it."""

    name: str  # its key in the plan and the ledger, never changed once posts are recorded
    title: str  # how messages name it
    credentials: tuple[str, ...]  # required environment variables; their values are never printed
    rules: TextRules
    connect: Callable[[Mapping[str, str], Chapter], Sender]
    post_id_from_url: Callable[[str], str | None]  # for `invoke settle SLUG --posted URL`
    optional: tuple[str, ...] = ()  # environment variables it reads when set
    # Whether updates and reminders answer the announcement (a reply, a thread); Facebook's are
    # new posts, so that they reach the Page's followers' feeds.
    threads: bool = True
    setup: str = ""  # the README section that explains its secrets
    # What a recap's photos must fit there; None: the photos are linked, not uploaded (e-mail).
    photos: PhotoLimits | None = None
    # The most a recap's text may weigh, where a post with photos takes less than one without
    # (Telegram: a caption is 1,024 characters, a message 4,096); None: the network's limit.
    recap_limit: int | None = None

    @property
    def recap_rules(self) -> TextRules:
        """How a recap's text is measured: the network's rules at the recap's own limit."""
        if self.recap_limit is None:
            return self.rules
        return TextRules(min(self.recap_limit, self.rules.limit), self.rules.length, self.name)

    def missing_credentials(self, environ: Mapping[str, str]) -> list[str]:
        """Names of the credential variables that are unset or empty."""
        return [name for name in self.credentials if not environ.get(name, "").strip()]


def _registry() -> dict[str, Network]:
    from . import bluesky, email, facebook, mastodon, telegram, x

    adapters = (x, facebook, telegram, mastodon, bluesky, email)
    return {adapter.NETWORK.name: adapter.NETWORK for adapter in adapters}


NETWORKS: Mapping[str, Network] = _registry()


def chosen(settings: Settings) -> list[Network]:
    """The networks SOCIAL_PUBLISH['networks'] lists (every one when it lists none), in order."""
    wanted = settings.publish.networks
    return [network for name, network in NETWORKS.items() if wanted is None or name in wanted]


def check_templates(settings: Settings) -> None:
    """Refuse templates whose fixed text leaves no room for a title on some network.

    Measured only where posts are composed (production builds, announce, remind): measuring
    imports each network's counting library, which a local build never needs. One line per
    template, naming every network it does not fit.
    """
    longest_url = settings.absolute_url(longest_class_path(settings.article_url))
    common = settings.publish.templates
    found: dict[str, list[str]] = {}
    for network in chosen(settings):
        templates = settings.publish.network_templates[network.name]
        posts = {kind: text for kind, text in templates.items() if kind != "recap"}
        recaps = {kind: text for kind, text in templates.items() if kind == "recap"}
        problems = {
            **template_length_problems(
                posts, settings.chapter, network.rules, network.title, longest_url
            ),
            **template_length_problems(
                recaps, settings.chapter, network.recap_rules, network.title, longest_url
            ),
        }
        for kind, problem in problems.items():
            own = templates[kind] != common[kind]
            name = f"['{network.name}']['{kind}']" if own else f"['{kind}']"
            key = f"['templates']{name}"
            found.setdefault(key, []).append(problem)
    if found:
        raise SettingsError(
            [
                f"social_publish: SOCIAL_PUBLISH{key} leaves no room for the title on "
                f"{'; on '.join(problems)}; shorten it"
                for key, problems in found.items()
            ]
        )
