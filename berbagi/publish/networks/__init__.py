"""The networks the publisher can post to: one adapter module each, listed in NETWORKS.

An adapter module defines NETWORK, a `Network` that says which environment variables switch it
on, how it measures a text, and how to connect a sender. Adding a network is one module here and
one entry below; the plan, the ledger and the commands treat every network the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...model import Chapter
from ...settings import Settings, SettingsError
from ...urls import longest_class_path
from ..compose import TextRules, template_length_problems
from ..send import Sender


@dataclass(frozen=True)
class Network:
    """One network's adapter, as the publisher sees it."""

    name: str  # its key in the plan and the ledger, never changed once posts are recorded
    title: str  # how messages name it
    credentials: tuple[str, ...]  # environment variables; their values are never printed
    rules: TextRules
    connect: Callable[[Mapping[str, str], Chapter], Sender]
    post_id_from_url: Callable[[str], str | None]  # for `invoke settle SLUG --posted URL`

    def missing_credentials(self, environ: Mapping[str, str]) -> list[str]:
        """Names of the credential variables that are unset or empty."""
        return [name for name in self.credentials if not environ.get(name, "").strip()]


def _registry() -> dict[str, Network]:
    from . import x

    return {network.name: network for network in (x.NETWORK,)}


NETWORKS: Mapping[str, Network] = _registry()


def check_templates(settings: Settings) -> None:
    """Refuse templates whose fixed text leaves no room for a title on some network.

    Measured only where posts are composed (production builds, announce, remind): measuring
    imports each network's counting library, which a local build never needs.
    """
    longest_url = settings.absolute_url(longest_class_path(settings.article_url))
    problems = [
        problem
        for network in NETWORKS.values()
        for problem in template_length_problems(
            settings.publish.templates, settings.chapter, network.rules, network.title, longest_url
        )
    ]
    if problems:
        raise SettingsError(problems)
