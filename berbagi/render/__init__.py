"""Renderers: each takes classes from the model and returns text or bytes, never touching files."""
