"""gunicorn settings of the load, soak and resilience runs (``benchmarks/services.py``).

The site is loaded once in the master (``preload_app``), with its URLs and views imported,
before the workers are forked: a worker that replaces a killed one answers at once instead
of spending its first request importing the site.
"""

preload_app = True


def when_ready(server: object) -> None:
    """Import the URLs and views in the master, after the app and before the workers."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
