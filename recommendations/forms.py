from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from .filters import POSSIBLE_OWNERS, DatePicker, NameField, NameInput
from .models import ClosureReason, Recommendation, Status

NOTE_MAX_LENGTH = 10_000  # a long report belongs behind the evidence link


class UpdateForm(forms.Form):
    """ "Log an update" on a tracked item: a note, and the changes the user may make. Every tracked
    field is on the form, so that a crafted POST is refused by the model's rules; one not posted is
    no change. A new owner is typed by name (`new_owner`): a list of hundreds of users is never drawn.
    A due date set here is a day: the model writes its precision with it (`TrackedItem.changed_values`)."""

    names_url = "recommendations:names"  # offers the new owner's name as one types (`names.names`)
    # The order people decide in (errors are listed in it too): where it stands, who has it, then why.
    field_order = ("status", "progress", "due_date", "stage", "owner", "new_owner", "note", "evidence_url",
                   "closure_reason", "due_date_reason", "is_public")

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Write a note: what happened, or why the change."},
        help_text="What happened. For stalled or not pursued, the reason; for implemented, what was done.",
    )
    status = forms.ChoiceField(choices=Status.choices, required=False)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True), required=False,
                                   empty_label="— unassigned —")
    new_owner = NameField(queryset=get_user_model().objects.none(), to_field_name="username", required=False,
                          label="Or give it to", widget=NameInput(attrs={"placeholder": "username"}))
    progress = forms.IntegerField(min_value=0, max_value=100, required=False, label="Progress (%)")
    due_date = forms.DateField(required=False, widget=DatePicker)
    evidence_url = forms.URLField(required=False, label="Evidence link", max_length=500, assume_scheme="https")
    # What the follow-up rules ask with a closure and a moved due date (TrackedItem.apply_update).
    closure_reason = forms.ChoiceField(choices=[("", "—"), *ClosureReason.choices], required=False,
                                       label="Why not pursued")
    due_date_reason = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, label="Why the due date moves")
    is_public = forms.BooleanField(required=False, label="Publish this note",
                                   help_text="Shown to the public, with its evidence link, on the item's page and "
                                             "in its lists. Unticked, it stays internal (people who sign in).")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.may_change = item.can_change_follow_up(user)
        self.fields["version"].initial = item.version
        for name in self.tracked_fields():
            self.fields[name].initial = getattr(item, name)
            if not self.may_change:
                self.fields[name].widget.attrs["disabled"] = True
        # Offer the current status and the ones the rules allow next; any other is refused by the model.
        allowed = [item.status, *item.next_statuses(user)]
        # What the blank form's HTML depends on beyond the item and the data version (the
        # template caches it under both): who may change what, and to which statuses.
        self.cache_variant = f"{int(self.may_change)}|{'.'.join(allowed)}"
        self.fields["status"].widget.choices = [(s.value, s.label) for s in Status if s in allowed]
        owner, new_owner = self.fields["owner"], self.fields["new_owner"]
        if self.is_bound:  # what a posted owner is checked against (a blank form only draws its two choices)
            owner.queryset = item.owner_choices()
            new_owner.queryset = type(item).possible_owners()
        new_owner.widget.attrs["data-names"] = reverse(self.names_url, args=[POSSIBLE_OWNERS])
        # Offered: none, the current owner, and the owner posted (a form shown again after a conflict
        # keeps what was sent, as its other fields do); anyone else is typed by name.
        offered = [item.owner] if item.owner_id else []
        posted = self.data.get("owner", "")  # a blank form's data is empty
        if posted.isdecimal() and int(posted) != item.owner_id:
            offered += owner.queryset.filter(pk=posted)
        owner.widget.choices = [("", owner.empty_label)] + [(user.pk, user.username) for user in offered]

    def tracked_fields(self):
        """The item's tracked fields this form has (not the due date's precision)."""
        return [name for name in self.item.tracked_fields if name in self.fields]

    def follow_up_fields(self):
        """The tracked fields but the owner, which the page shows with `new_owner` beside it."""
        return [self[name] for name in self.tracked_fields() if name != "owner"]

    def changes(self):
        """The tracked fields the user posted a new value for; a blank owner or due date clears it."""
        changes = {}
        for name in self.tracked_fields():
            value = self.cleaned_data.get(name)
            blank = value in (None, "") and name in ("progress", "status", "stage")  # no change
            if name in self.data and not blank and value != getattr(self.item, name):
                changes[name] = value
        new_owner = self.cleaned_data.get("new_owner")
        if new_owner is not None and new_owner != self.item.owner:
            changes["owner"] = new_owner
        return changes


class RowsField(forms.ModelMultipleChoiceField):
    """Rows chosen by id. A value no row can have (not a whole number the database's integer holds) is
    refused before the query: Django checks `IN` values no further, and SQLite raises on a huge one."""

    def clean(self, value):
        for pk in value or ():
            if not (str(pk).isascii() and str(pk).isdigit() and int(pk) < 2**63):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
        return super().clean(value)


class BulkUpdateForm(forms.Form):
    """The list's bulk actions for editors: the selected rows get a new owner (`action` "owner") or a
    new status ("status"), and the note in each timeline; applied by services.update_each, as the admin's."""

    items = RowsField(queryset=Recommendation.objects.none(), label="Selected rows",
                                           error_messages={"required": "Select at least one row."})
    owner = NameField(queryset=get_user_model().objects.none(), to_field_name="username", required=False,
                      label="New owner", widget=NameInput(attrs={"placeholder": "username"}),
                      error_messages={"invalid_choice": "Nobody who may own items has this username: an owner is "
                                      "an active user whose role may log updates (staff, editor, administrator)."})
    status = forms.ChoiceField(choices=[("", "— choose —"), *Status.choices], required=False, label="New status",
                               error_messages={"invalid_choice": "Unknown status '%(value)s'."})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH,
                           error_messages={"required": "Write a note: it goes to each item's timeline."},
                           help_text="Written to each item's timeline; for stalled or not pursued, the reason.")
    action = forms.ChoiceField(choices=[("owner", "Assign the owner"), ("status", "Change the status")],
                               error_messages={"invalid_choice": "Unknown action '%(value)s'.",
                                               "required": "Choose what to change: the owner or the status."})

    def __init__(self, *args, model=Recommendation, **kwargs):
        super().__init__(*args, auto_id="bulk-%s", **kwargs)  # beside the filter form's own "owner" and "status"
        self.fields["items"].queryset = model.objects.select_related("session")
        self.fields["owner"].queryset = model.possible_owners()
        self.fields["owner"].widget.attrs["data-names"] = reverse("recommendations:names", args=[POSSIBLE_OWNERS])

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and action not in self.errors and not cleaned.get(action):
            self.add_error(action, "Type the username of the new owner." if action == "owner" else
                           "Choose the new status.")
        return cleaned

    def changes(self):
        action = self.cleaned_data["action"]
        return {action: self.cleaned_data[action]}
