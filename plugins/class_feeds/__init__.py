"""Class feeds plugin: Atom and RSS feeds of classes for feed readers, written with feedgen."""

from .glue import register

__all__ = ["register"]
