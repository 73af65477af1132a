from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "mentorwijs.web.interviews"
    label = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentorwijs.web.interviews import models as i

        # The transcript itself is not copied into the audit trail (it is long, and its
        # upload is recorded with who and when); every other field is.
        if not auditlog.contains(i.Interview):
            auditlog.register(i.Interview, exclude_fields=["text"])
        for model in (i.Code, i.Coder, i.Segment, i.SegmentCode):
            if not auditlog.contains(model):
                auditlog.register(model)
