from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Encrypted fields (``EncryptedTextField``) of an interview and of a segment. The audit
#: trail keeps their values encrypted too (as the identities'), except the transcript, which
#: it does not keep at all.
INTERVIEW_SECRET_FIELDS = ("text", "filename")
SEGMENT_SECRET_FIELDS = ("text", "memo")


class InterviewsConfig(AppConfig):
    name = "mentorwijs.web.interviews"
    label = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentorwijs.web.interviews import models as i

        # The transcript itself is not copied into the audit trail (it is long, and its
        # upload is recorded with who and when); every other field is. The file's name, a
        # segment's passage and memo are kept there encrypted with the identity key.
        if not auditlog.contains(i.Interview):
            auditlog.register(
                i.Interview,
                exclude_fields=["text"],
                mask_fields=["filename"],
                mask_callable="mentorwijs.web.registry.crypto.audit_mask",
            )
        if not auditlog.contains(i.Segment):
            auditlog.register(
                i.Segment,
                mask_fields=list(SEGMENT_SECRET_FIELDS),
                mask_callable="mentorwijs.web.registry.crypto.audit_mask",
            )
        for model in (i.Code, i.Coder, i.SegmentCode):
            if not auditlog.contains(model):
                auditlog.register(model)
