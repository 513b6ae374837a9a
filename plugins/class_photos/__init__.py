"""Class photos plugin: resized copies of each class's photos and a srcset helper for templates."""

from .glue import register

__all__ = ["register"]
