from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .filters import POSSIBLE_OWNERS, DatePicker, NameField, NameInput
from .models import (
    EVIDENCE_EXTENSIONS,
    REOPEN,
    Action,
    ActionParent,
    Actor,
    ClosureReason,
    Recommendation,
    Status,
    Verification,
)

NOTE_MAX_LENGTH = 10_000  # a long report belongs behind the evidence link


class PostedCheckbox(forms.CheckboxInput):
    """A checkbox posted either way: a hidden "false" before it (the box's value wins when ticked), so that
    a form without the box (an older page, a crafted POST) is told from an unticked box."""

    template_name = "partials/posted_checkbox.html"


class UpdateForm(forms.Form):
    """ "Log an update" on a tracked item: a note, and the changes the user may make. Every tracked
    field is on the form, so that a crafted POST is refused by the model's rules; one not posted is
    no change. A new owner is typed by name (`new_owner`): a list of hundreds of users is never drawn.
    A due date set here is a day: the model writes its precision with it (`TrackedItem.changed_values`)."""

    names_url = "recommendations:names"  # offers the new owner's name as one types (`names.names`)
    # The order people decide in (errors are listed in it too): where it stands, who has it, then why.
    field_order = ("status", "progress", "due_date", "stage", "owner", "new_owner", "closure_decision", "return_to",
                   "note", "evidence_url", "evidence_file", "closure_reason", "due_date_reason",
                   "progress_from_actions", "is_public")
    # The rules' names for what this form asks under another name.
    error_fields = {"verification": "closure_decision"}

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE_MAX_LENGTH, label=_("Note"),
        error_messages={"required": _("Write a note: what happened, or why the change.")},
        help_text=_("What happened. For stalled or not pursued, the reason; for implemented, what was done."),
    )
    status = forms.ChoiceField(choices=Status.choices, required=False, label=_("Status"))
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True), required=False,
                                   label=_("Owner"), empty_label=_("— unassigned —"))
    new_owner = NameField(queryset=get_user_model().objects.none(), to_field_name="username", required=False,
                          label=_("Or give it to"), widget=NameInput(attrs={"placeholder": _("username")}))
    progress = forms.IntegerField(min_value=0, max_value=100, required=False, label=_("Progress (%)"))
    due_date = forms.DateField(required=False, widget=DatePicker, label=_("Due date"))
    evidence_url = forms.URLField(required=False, label=_("Evidence link"), max_length=500, assume_scheme="https")
    evidence_file = forms.FileField(required=False, label=_("Or attach the evidence"), max_length=200)
    # What the follow-up rules ask with a closure and a moved due date (TrackedItem.apply_update).
    closure_reason = forms.ChoiceField(choices=[("", "—"), *ClosureReason.choices], required=False,
                                       label=_("Why not pursued"),
                                       help_text=_("Required when you close it as not pursued."))
    due_date_reason = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, label=_("Why the due date moves"),
                                      help_text=_("Required when you change a due date already set."))
    progress_from_actions = forms.BooleanField(
        required=False, label=_("Roll up progress from actions"), widget=PostedCheckbox,
        help_text=_("Ticked: the progress is its reported actions' progress, weighted; unticked: entered by hand."))
    # An editor who did not claim a closure awaiting verification verifies it, or returns it (reopens the item).
    closure_decision = forms.ChoiceField(
        choices=[("", _("Leave it awaiting verification")), ("verify", _("Verify this closure")),
                 ("return", _("Return it"))],
        required=False, widget=forms.RadioSelect, label=_("The closure claimed"))
    return_to = forms.ChoiceField(choices=[("", "—")], required=False, label=_("Return it to"),
                                  help_text=_("The status it goes back to; the note says why."))
    is_public = forms.BooleanField(required=False, label=_("Publish this note"),
                                   help_text=_("Shown to the public, with its evidence link, on the item's page and "
                                               "in its lists. Unticked, it stays internal (people who sign in)."))
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
        self.fields["evidence_file"].help_text = gettext(
            "One of %(kinds)s; at most %(limit)s MB. Only those who sign in can open it.") % {
            "kinds": ", ".join(EVIDENCE_EXTENSIONS), "limit": number_format(f"{settings.EVIDENCE_MAX_BYTES / 2**20:g}")}
        self.set_up_closure(user)
        if not isinstance(item, ActionParent):  # an action has no actions to roll up
            del self.fields["progress_from_actions"]

    def set_up_closure(self, user):
        """Offer the decision on a closure awaiting verification to the editors who did not claim it; a
        posted decision is checked by the rules whoever sends it."""
        item = self.item
        self.fields["return_to"].choices += [(s.value, s.label) for s in Status if s in REOPEN.get(item.status, ())]
        self.may_decide = (item.is_awaiting_verification and item.can_edit_any(user)
                           and item.claimant_id() != user.pk)
        self.cache_variant += f"|{int(self.may_decide)}"

    def error_field(self, key):
        """The field of this form a rule's error about `key` belongs to (None: the form as a whole)."""
        key = self.error_fields.get(key, key)
        return key if key in self.fields else None

    def clean(self):
        cleaned = super().clean()
        decision, status = cleaned.get("closure_decision"), cleaned.get("status")
        if decision == "return":
            if not cleaned.get("return_to"):
                self.add_error("return_to", gettext("Choose the status it goes back to."))
            elif status not in ("", None, self.item.status, cleaned["return_to"]):
                self.add_error("status", gettext("Return the closure to one status: choose it under “Return it "
                                                 "to”."))
        if self.rollup_change() is not None and not self.may_change:
            self.add_error("progress_from_actions", gettext("Only the item's owner or an editor can choose how its "
                                                            "progress is computed."))
        return cleaned

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
        decision = self.cleaned_data.get("closure_decision")
        if decision == "verify":
            changes["verification"] = Verification.VERIFIED
        elif decision == "return":
            changes["status"] = self.cleaned_data["return_to"]
        return changes

    def rollup_change(self):
        """The new value of `progress_from_actions` if one was posted and differs from the item's (its box
        posts "false" when unticked: not posted is no change), else None."""
        if "progress_from_actions" not in self.fields or "progress_from_actions" not in self.data:
            return None
        posted = self.fields["progress_from_actions"].widget.value_from_datadict(self.data, self.files,
                                                                                 "progress_from_actions")
        return posted if posted != self.item.progress_from_actions else None

    def record(self, *, by):
        """Log the posted update through the item's one write path (`record_update`): its changes, a closure's
        evidence or reason, a moved due date's reason, and how its progress is computed, in one entry."""
        item, data = self.item, self.cleaned_data
        rollup, before = self.rollup_change(), item.progress_from_actions
        if rollup is not None:
            item.progress_from_actions = rollup
        try:
            return item.record_update(
                by=by, note=data["note"], evidence_url=data["evidence_url"], evidence_file=data["evidence_file"],
                expected_version=data["version"], public=data["is_public"], closure_reason=data["closure_reason"],
                due_date_reason=data["due_date_reason"], edited=() if rollup is None else ("progress_from_actions",),
                **self.changes())
        except Exception:
            item.progress_from_actions = before  # nothing was saved: the page shows the item as it stands
            raise


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

    items = RowsField(queryset=Recommendation.objects.none(), label=_("Selected rows"),
                                           error_messages={"required": _("Select at least one row.")})
    owner = NameField(queryset=get_user_model().objects.none(), to_field_name="username", required=False,
                      label=_("New owner"), widget=NameInput(attrs={"placeholder": _("username")}),
                      error_messages={"invalid_choice": _("Nobody who may own items has this username: an owner is "
                                      "an active user whose role may log updates (staff, editor, administrator).")})
    status = forms.ChoiceField(choices=[("", _("— choose —")), *Status.choices], required=False,
                               label=_("New status"),
                               error_messages={"invalid_choice": _("Unknown status '%(value)s'.")})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH, label=_("Note"),
                           error_messages={"required": _("Write a note: it goes to each item's timeline.")},
                           help_text=_("Written to each item's timeline; for stalled or not pursued, the reason."))
    action = forms.ChoiceField(choices=[("owner", _("Assign the owner")), ("status", _("Change the status"))],
                               label=_("Action"),
                               error_messages={"invalid_choice": _("Unknown action '%(value)s'."),
                                               "required": _("Choose what to change: the owner or the status.")})

    def __init__(self, *args, model=Recommendation, **kwargs):
        super().__init__(*args, auto_id="bulk-%s", **kwargs)  # beside the filter form's own "owner" and "status"
        self.fields["items"].queryset = model.objects.select_related("session")
        self.fields["owner"].queryset = model.possible_owners()
        self.fields["owner"].widget.attrs["data-names"] = reverse("recommendations:names", args=[POSSIBLE_OWNERS])

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and action not in self.errors and not cleaned.get(action):
            self.add_error(action, gettext("Type the username of the new owner.") if action == "owner" else
                           gettext("Choose the new status."))
        return cleaned

    def changes(self):
        action = self.cleaned_data["action"]
        return {action: self.cleaned_data[action]}


class NamesInput(forms.MultiWidget):
    """A few name boxes (`NameInput`) for one field, a name in each."""

    def __init__(self, boxes=3, attrs=None):
        super().__init__([NameInput() for _ in range(boxes)], attrs)

    def decompress(self, value):
        return list(value or ())


class NamesField(forms.Field):
    """Records chosen by their names (`to_field_name`), one per box: blank boxes are left out, a name that
    is no record's is refused with the names it did not find."""

    def __init__(self, *, queryset, to_field_name, boxes=3, **kwargs):
        super().__init__(widget=NamesInput(boxes), **kwargs)
        self.queryset, self.to_field_name = queryset, to_field_name

    @staticmethod
    def names(value):
        """The names typed, once each, in order; blank boxes left out."""
        return list(dict.fromkeys(name.strip() for name in value or () if name and name.strip()))

    def clean(self, value):
        names = self.names(value)
        if any("\x00" in name for name in names):  # no name has one, and PostgreSQL refuses it
            raise ValidationError(gettext("A name cannot hold a null character."))
        found = {getattr(record, self.to_field_name): record
                 for record in self.queryset.filter(**{f"{self.to_field_name}__in": names})}
        missing = [name for name in names if name not in found]
        if missing:
            raise ValidationError(gettext("No actor is named %(names)s: type the name as the box offers it.")
                                  % {"names": ", ".join(map(repr, missing))})
        return [found[name] for name in names]


class ActionForm(forms.Form):
    """ "Add an action" under an item, for those who may log updates on it (`services.add_action`)."""

    title = forms.CharField(max_length=200, label=_("Title"),
                            error_messages={"required": _("Give the action a title.")})
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=NOTE_MAX_LENGTH, label=_("Description"))
    weight = forms.IntegerField(min_value=1, max_value=100, initial=1, label=_("Weight"),
                                error_messages={"required": _("Give its weight, 1 to 100.")},
                                help_text=_("How much it counts in the item's progress, against its other actions."))
    due_date = forms.DateField(required=False, widget=DatePicker, label=_("Due date"))
    responsible_actors = NamesField(queryset=Actor.objects.all(), to_field_name="name", required=False,
                                    label=_("Responsible actors"),
                                    help_text=_("The governments or organizations doing it: one name per box."))
    owner = NameField(queryset=get_user_model().objects.none(), to_field_name="username", required=False,
                      widget=NameInput(attrs={"placeholder": _("username")}), label=_("Owner"),
                      help_text=_("Left blank: you, if your role may own it."),
                      error_messages={"invalid_choice": _("Nobody who may own actions has this username: an owner "
                                                          "is an active user whose role may log updates.")})

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)  # beside the update form's own fields
        self.parent = parent
        self.fields["owner"].queryset = Action.possible_owners()
        self.fields["owner"].widget.attrs["data-names"] = reverse("recommendations:names", args=[POSSIBLE_OWNERS])
        self.fields["responsible_actors"].widget.attrs["data-names"] = reverse("recommendations:names",
                                                                               args=["responsible"])
