"""Methods and the reproducibility appendix."""

from __future__ import annotations

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Section, Table
from mentorwijs.reports.texts import t


def methods(result: EvaluationResult, lang: str) -> list[Section]:
    """How the figures were made, and which analyses were left out and why."""
    blocks: list[Block] = [t("methods_text", lang)]
    skipped = result.diagnostics.get("skipped", {})
    if skipped:
        blocks.append(
            Table(
                t("skipped_caption", lang),
                [t("analysis", lang), t("reason", lang)],
                [[name, reason] for name, reason in skipped.items()],
                [False, False],
            )
        )
    return [Section(t("methods", lang), blocks)]


def reproducibility(result: EvaluationResult, lang: str) -> list[Section]:
    """Data fingerprint, package metadata, seed, settings and software versions."""
    md = result.metadata
    software = ", ".join(f"{k} {v}" for k, v in md.get("software", {}).items())
    package = md.get("package", {})
    settings = md.get("settings", {})
    rows = [
        [t("fingerprint", lang), str(md.get("data_fingerprint"))],
        [t("package", lang), ", ".join(f"{k}={v}" for k, v in package.items())],
        [t("seed", lang), str(md.get("seed"))],
        [t("settings", lang), ", ".join(f"{k}={v}" for k, v in settings.items())],
        [t("created", lang), str(md.get("created_at"))],
        [t("software", lang), software],
    ]
    table = Table(t("appendix", lang), ["", ""], rows, [False, False])
    return [Section(t("appendix", lang), [table], appendix=True)]
