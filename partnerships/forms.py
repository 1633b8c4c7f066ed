from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.forms import UpdateForm

from .models import Stage


class ProjectUpdateForm(UpdateForm):
    """ "Log an update" on a PfP project: the shared form plus the lifecycle stage."""

    names_url = "partnerships:names"
    stage = forms.ChoiceField(choices=Stage.choices, required=False, label=_("Stage"))

