"""The statistics: pure functions on study data packages; no Django, no web."""
