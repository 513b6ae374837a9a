"""The national (or regional) site: every chapter's published calendar and feed, merged.

Pure parts only (no Pelican): the settings (`config`), fetching with a last good copy (`fetch`),
reading and merging (`merge`) and zone labels (`zones`). The Pelican glue is plugins/national_site.
"""
