"""WSGI entry point: ``gunicorn mentorwijs.web.wsgi``.

Before the first request the site is made ready: the URL patterns and views imported, the
questionnaire protocol loaded with every wave's page plan, the respondents' page templates
compiled. With gunicorn's ``--preload`` this happens once in the master before the workers
fork; without it, once per worker as it starts. Either way no respondent waits for it, and a
worker that replaces a killed one answers at once.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorwijs.web.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    from mentorwijs.web.survey.plan import warm_up

    get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
    warm_up()
    for name in ("page", "start", "finish", "closed", "mine", "paused"):
        get_template(f"survey/{name}.html")


_warm_up()
