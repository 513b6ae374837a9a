"""The long-lived preview: one full build, then only what an edited class changes (`Preview`)."""

from .process import Outcome, Preview

__all__ = ["Outcome", "Preview"]
