"""Personal API tokens: django-rest-knox's token (kept as a SHA-512 digest, never the token itself), with the
name its owner gave it, so that a person with several tokens knows which system holds which."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. \"Mexico's reporting system\"."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.user}, {self.token_key}…)"
