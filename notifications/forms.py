from django import forms
from django.utils.translation import gettext, gettext_lazy

from .models import Delivery, Kind, Preference, SavedView
from .saved_views import BadView, checked_query


class PreferencesForm(forms.Form):
    """A delivery choice per kind of notification, set to the user's current one."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = Preference.objects.deliveries([user.pk])[user.pk]
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(label=kind.label, choices=Delivery.choices,
                                                        initial=chosen[kind.value])

    def save(self):
        for kind, delivery in self.cleaned_data.items():
            Preference.objects.choose(self.user, kind, delivery)


class SavedViewForm(forms.ModelForm):
    """A list's filters saved under a name (`saved_views.checked_query`: a list's path, filters it accepts)."""

    class Meta:
        model = SavedView
        fields = ["name", "path", "query", "shared"]
        error_messages = {"name": {"required": gettext_lazy("Give the view a name.")}}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if SavedView.objects.filter(owner=self.instance.owner, name__iexact=name).exists():
            raise forms.ValidationError(gettext("You already have a saved view named “%(name)s”: choose another name.")
                                        % {"name": name})
        return name

    def clean(self):
        cleaned = super().clean()
        if "path" in cleaned:
            try:
                cleaned["query"] = checked_query(cleaned["path"], cleaned.get("query", ""))
            except BadView as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned
