from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "mentorwijs.web.invitations"
    label = "invitations"
    verbose_name = _("Invitations and reminders")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentorwijs.web.invitations.models import Delivery

        if not auditlog.contains(Delivery):
            auditlog.register(Delivery)
