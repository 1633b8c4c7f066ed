from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from gfmd_tracker.admin_lists import SelectionMixin
from gfmd_tracker.spreadsheets import CheckedImportMixin
from recommendations.admin import (
    ActionsInline,
    HistoryAdmin,
    LineageInline,
    TimelineAdmin,
    TimelineInline,
    TrackedItemAdmin,
    TranslationsMixin,
)

from .models import Project, ProjectConcern, ProjectPartner, ProjectSeedRecord, ProjectUpdate
from .resources import ProjectPartnerResource, ProjectResource


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ("actor",)


class ProjectConcernInline(admin.TabularInline):
    model = ProjectConcern
    extra = 0


class ProjectUpdateInline(TimelineInline):
    model = ProjectUpdate
    fields = TimelineInline.fields + ("stage_before", "stage_after")
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(TranslationsMixin, TrackedItemAdmin):
    resource_classes = [ProjectResource]
    export_stem = "pfp-projects"  # as the projects list names its exports
    seed_record = (ProjectSeedRecord, "project")
    list_display = ("title", "stage", "status", "owner", "due", "progress", "priority", "is_public")
    list_filter = ("stage",) + TrackedItemAdmin.list_filter
    search_fields = ("title", "description", "origin", "partners__name")
    search_help_text = _("Words in the texts or timeline notes (all of them), or an exact owner's username.")
    # The outcomes a project serves are picked by search: a list of every recommendation
    # (300,000 at scale) would make the page tens of megabytes.
    autocomplete_fields = ("owner", "session", "recommendations")
    inlines = [ProjectPartnerInline, ProjectConcernInline, LineageInline, ActionsInline, ProjectUpdateInline]
    fieldsets = [
        (None, {"fields": ("title", "description", "origin", "session", "recommendations", "themes", "is_public")}),
        (_("Follow-up"), {"fields": ("stage",) + TrackedItemAdmin.follow_up_fields + TrackedItemAdmin.item_fields}),
    ]


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    resource_classes = [ProjectPartnerResource]
    list_display = ("project", "actor", "role", "note")
    list_filter = ("role",)  # by project: search its title (a sidebar of 5,000 projects helps no one)
    list_select_related = ("project", "actor")
    search_fields = ("project__title", "actor__name")
    autocomplete_fields = ("project", "actor")


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(TimelineAdmin):
    list_display = TimelineAdmin.list_display + ("stage_after",)
    list_select_related = ("item", "author")
