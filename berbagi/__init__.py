"""Berbagi: the core of a website kit for volunteer chapters that run free classes.

Pure Python apart from `berbagi.glue`: the class model, the schedule, settings, wording, the
renderers (JSON-LD, iCalendar, feeds), photos and the publisher. The Pelican plugins in
`plugins/` are thin glue that imports this package like any library.
"""
