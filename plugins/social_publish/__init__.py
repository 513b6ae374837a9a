"""Social publishing plugin: production builds write the announce plan; `invoke announce` posts."""

from .glue import register

__all__ = ["register"]
