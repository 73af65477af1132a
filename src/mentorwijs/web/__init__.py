"""The Django site: registry, questionnaires, interviews, costs and runs."""
