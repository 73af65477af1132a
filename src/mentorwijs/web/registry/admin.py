"""Django admin for staff: identities, placements, municipalities, roles and imports."""

from django.contrib import admin

from mentorwijs.web.registry import models as r


@admin.register(r.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "trainer", "organisation", "identity_grant")
    list_filter = ("role", "identity_grant")
    search_fields = ("user__username",)


@admin.register(r.Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("employee", "organisation", "supervisor", "start_date", "end_date", "contract")
    list_filter = ("contract", "wage_subsidy", "job_coach")


@admin.register(r.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)


for model in (
    r.SupervisorIdentity,
    r.EmployeeIdentity,
    r.TrainerIdentity,
    r.OrganisationIdentity,
):
    # The values are encrypted: the admin finds an identity by its pseudonym only.
    admin.site.register(model, search_fields=("pk",), exclude=("name_digest", "email_digest"))


@admin.register(r.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("filename", "kind", "region", "created_by", "created_at", "committed_at")
    readonly_fields = ("header", "rows", "mapping")
