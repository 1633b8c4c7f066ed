"""Which open-data ZIP is current. The file lives in the `open_data` storage (STORAGES), written whole under a
name of its own before this row points at it: a download never reads a file being written, and every web
server (they share the database, not a disk) serves the same build."""

from django.db import models


class OpenDataBuildQuerySet(models.QuerySet):
    def current(self):
        """The latest build, or None before the first."""
        return self.order_by("-built_at", "-pk").first()


class OpenDataBuild(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="The ZIP's name in the open_data storage.")
    built_at = models.DateTimeField(help_text="When the data were read (the snapshot the ZIP holds).")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    licence = models.CharField(max_length=50, help_text="OPEN_DATA_LICENSE when it was built.")
    resources = models.JSONField(help_text="[{name, title, description, rows}, …]: its kinds of record.")

    objects = OpenDataBuildQuerySet.as_manager()

    class Meta:
        verbose_name = "open-data build"
        ordering = ["-built_at", "-pk"]

    def __str__(self):
        return f"Open data built {self.built_at:%Y-%m-%d %H:%M}"
