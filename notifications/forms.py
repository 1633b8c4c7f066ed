from django import forms

from .models import Delivery, Kind, Preference


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
