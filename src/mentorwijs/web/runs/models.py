"""An evaluation run: who started it, when, with which settings, and what came of it.

The files of a run (the exported package, the result, the reports) live in the data folder,
``runs/<folder>/`` (see :func:`mentorwijs.web.runs.services.run_dir`); the row records
where, and the fingerprint of the data the result rests on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationRun(models.Model):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [
        (QUEUED, _("queued")),
        (RUNNING, _("running")),
        (DONE, _("done")),
        (FAILED, _("failed")),
    ]

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    settings = models.JSONField(_("settings"), default=dict)
    seed = models.PositiveIntegerField(_("seed"), default=2023)
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=QUEUED)
    started_at = models.DateTimeField(_("run began"), null=True, blank=True)
    finished_at = models.DateTimeField(_("run ended"), null=True, blank=True)
    error_nl = models.TextField(_("error (Dutch)"), blank=True)
    error_en = models.TextField(_("error (English)"), blank=True)
    folder = models.CharField(_("result folder"), max_length=100, blank=True)
    data_fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status == self.DONE
