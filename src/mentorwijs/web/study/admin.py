"""Django admin for staff: every study table, read by pseudonym."""

from django.contrib import admin

from mentorwijs.web.study import models as m

for model in (
    m.Region,
    m.Organisation,
    m.Trainer,
    m.TrainingGroup,
    m.Meeting,
    m.Supervisor,
    m.Employee,
    m.Cost,
):
    admin.site.register(model)
