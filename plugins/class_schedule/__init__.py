"""Class schedule plugin: validated class files, the schedule, and its pages."""

from .glue import register

__all__ = ["register"]
