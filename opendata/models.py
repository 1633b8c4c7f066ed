"""Which open-data ZIP is current. The file lives in the `open_data` storage (STORAGES), written whole under a
name of its own before this row points at it: a download never reads a file being written, and every web
server (they share the database, not a disk) serves the same build."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataBuildQuerySet(models.QuerySet):
    def current(self):
        """The latest build, or None before the first."""
        return self.order_by("-built_at", "-pk").first()


class OpenDataBuild(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True,
                            help_text=_("The ZIP's name in the open_data storage."))
    built_at = models.DateTimeField(_("built at"), help_text=_("When the data were read (the snapshot the ZIP holds)."))
    size = models.PositiveBigIntegerField(_("size"), help_text=_("Bytes."))
    sha256 = models.CharField(_("sha256"), max_length=64)
    licence = models.CharField(_("licence"), max_length=50, help_text=_("OPEN_DATA_LICENSE when it was built."))
    resources = models.JSONField(_("resources"),
                                 help_text=_("[{name, title, description, rows}, …]: its kinds of record."))

    objects = OpenDataBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("open-data build")
        verbose_name_plural = _("open-data builds")
        ordering = ["-built_at", "-pk"]

    def __str__(self):
        return f"Open data built {self.built_at:%Y-%m-%d %H:%M}"
