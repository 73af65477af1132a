from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "mentorwijs.web.survey"
    label = "survey"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentorwijs.web.survey.models import Consent, Link

        for model in (Consent, Link):
            if not auditlog.contains(model):
                auditlog.register(model)
