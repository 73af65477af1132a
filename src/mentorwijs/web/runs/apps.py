from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RunsConfig(AppConfig):
    name = "mentorwijs.web.runs"
    label = "runs"
    verbose_name = _("Evaluation runs")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentorwijs.web.runs.models import EvaluationRun

        if not auditlog.contains(EvaluationRun):
            auditlog.register(EvaluationRun)
