"""gunicorn settings of the load, soak and resilience runs (``benchmarks/services.py``).

The site is loaded once in the master (``preload_app``) before the workers are forked; the
WSGI module makes it ready there (URLs, views, the protocol's page plans, the templates:
``mentorwijs.web.wsgi``), so a worker that replaces a killed one answers at once.
"""

preload_app = True
