"""Calendar plugin: calendar.ics for subscribers, one .ics per class, add-to-calendar links."""

from .glue import register

__all__ = ["register"]
