"""National site plugin: every chapter's published calendar and feed, merged into one site."""

from .glue import register

__all__ = ["register"]
