"""Class schedule plugin: validated class files, the schedule, and its archive, teacher and venue
pages. It is the kit's core, which every other plugin switches on as well (berbagi.glue.classes)."""

from berbagi.glue import classes


def register() -> None:
    """Connect the core to Pelican's signals."""
    classes.register()
