from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "mentorwijs.web.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from mentorwijs.web.registry.audit import register_audited_models

        register_audited_models()
