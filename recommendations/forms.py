from django import forms
from django.contrib.auth import get_user_model

from . import versioning
from .filters import DatePicker, FastSelect
from .models import Status


def possible_owner_choices(model):
    """(pk, username) of the users who may own an item of `model`, read once per change of the data."""
    return versioning.cached(f"possible-owners|{model._meta.label}", lambda: list(
        model.possible_owners().order_by("username").values_list("pk", "username")))


NOTE_MAX_LENGTH = 10_000  # a long report belongs behind the evidence link


class UpdateForm(forms.Form):
    """ "Log an update" on a tracked item: a note, and the changes the user may make.

    Every tracked field exists on the form so that a crafted POST is parsed and then
    refused by the model's rules; the page shows only what the user may change.
    A field that is not posted means "no change".
    """

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Write a note: what happened, or why the change."},
        help_text="What happened. For stalled or not pursued, the reason; for implemented, what was done.",
    )
    status = forms.ChoiceField(choices=Status.choices, required=False)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False, empty_label="— unassigned —", widget=FastSelect,
    )
    progress = forms.IntegerField(min_value=0, max_value=100, required=False, label="Progress (%)")
    due_date = forms.DateField(required=False, widget=DatePicker)
    evidence_url = forms.URLField(required=False, label="Evidence link", max_length=500, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.may_change = item.can_change_follow_up(user)
        self.fields["version"].initial = item.version
        for name in item.tracked_fields:
            self.fields[name].initial = getattr(item, name)
        # Offer the current status and the ones the rules allow next; any other is refused by the model.
        allowed = [item.status, *item.next_statuses(user)]
        # What the blank form's HTML depends on beyond the item and the data version (the
        # template caches it under both): who may change what, and to which statuses.
        self.cache_variant = f"{int(self.may_change)}|{'.'.join(allowed)}"
        self.fields["status"].widget.choices = [(s.value, s.label) for s in Status if s in allowed]
        owner = self.fields["owner"]
        if self.may_change:
            model = type(item)
            owner.queryset = item.owner_choices()
            # Names as tuples: a select of hundreds of users without a model instance each.
            if item.owner_id is None or item.can_own(item.owner):
                owner.widget.choices = lambda: [("", owner.empty_label), *possible_owner_choices(model)]
                owner.widget.cached_as = f"update-owner|{model._meta.label}"
            else:
                owner.widget.choices = [("", owner.empty_label), (item.owner.pk, item.owner.username),
                                        *possible_owner_choices(model)]
        else:
            # Shown, not changeable: the current owner is the only option worth sending.
            owner.widget.choices = [("", owner.empty_label)] + ([(item.owner.pk, item.owner.username)]
                                                               if item.owner_id else [])
            for name in item.tracked_fields:
                self.fields[name].widget.attrs["disabled"] = True

    def follow_up_fields(self):
        return [self[name] for name in self.item.tracked_fields]

    def changes(self):
        """The tracked fields the user posted a new value for."""
        changes = {}
        for name in self.item.tracked_fields:
            if name not in self.data:
                continue
            value = self.cleaned_data.get(name)
            if name == "progress" and value is None:
                continue
            if name in ("status", "stage") and not value:
                continue
            if value != getattr(self.item, name):
                changes[name] = value
        return changes
