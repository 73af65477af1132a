"""Mentorwijs: run the supervisor training and evaluate whether it works.

Layers, importing downward only: ``cli`` → ``web`` → ``reports`` → ``evaluation`` |
``simulation`` → ``studydata`` → ``protocol``. Only ``web`` imports Django.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mentorwijs")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
