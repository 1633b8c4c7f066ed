"""What the project keeps for itself: spreadsheets uploaded for import, until confirmed; each person's profile."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportPreviewQuerySet(models.QuerySet):
    def cutoff(self):
        return timezone.now() - timedelta(seconds=settings.IMPORT_PREVIEW_MAX_AGE)

    def current(self):
        return self.filter(created_at__gte=self.cutoff())

    def expired(self):
        return self.filter(created_at__lt=self.cutoff())


class ImportPreview(models.Model):
    """An uploaded spreadsheet between its preview and "Confirm import" (`previews.DatabasePreviewStorage`),
    in the database so that any web process can confirm it. Named by a random token handed out with the
    preview, confirmed only by the user it was shown to, deleted once imported or when it expires."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, null=True,
                             related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    data = models.BinaryField(_("data"))

    objects = ImportPreviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self):
        return f"Import preview of {self.created_at:%Y-%m-%d %H:%M}"


class Profile(models.Model):
    """What a person chooses for themselves: the language of their pages (blank: their browser's). The language
    is not a choice of the field, so that adding one to LANGUAGES needs no migration; the form offers those."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="profile")
    language = models.CharField(_("language"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)
