"""An item's timeline in the API: `GET …/<key>/updates/` reads its entries (the public: the published ones),
`POST …/<key>/updates/` logs an update through the one write path, `TrackedItem.record_update`, as the update
form does: the same transitions, required notes, ownership rules and version check, and the same effects
(timeline entry, change history, version, latest note). What the form refuses, this refuses with the rule's own
message: 400 (a rule), 403 (a role or an owner), 409 (the item changed since the version sent)."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError as DjangoInvalid
from django.core.exceptions import ValidationError as RuleBroken
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from gfmd_tracker.portal import is_public
from partnerships.models import Project, Stage
from recommendations import dates
from recommendations.forms import NOTE_MAX_LENGTH
from recommendations.models import ClosureReason, EditConflict, Status, Verification

from . import views
from .access import ConditionalReads
from .actions import ActionViewSet
from .serializers import item_path, timeline_serializer

NOTE_MISSING = gettext_lazy("Write a note: what happened, or why the change.")
VERSION_MISSING = gettext_lazy("Send the version of the item you read (its `version`, or its ETag in If-Match), so "
                               "that nobody's change is overwritten.")


# The same for a name nobody has: no enumeration.
OWNER_REFUSED = gettext_lazy("No user named “{value}” may own this item: an owner must be an active user whose role "
                             "may log updates (staff, editor or administrator).")
NO_ROLE = gettext_lazy("Your account has no role that may log updates: ask an administrator for one.")


@extend_schema_field({"type": "string", "nullable": True, "pattern": r"^[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?$"})
class DueDateField(serializers.Field):
    """A due date as the API writes it, at its precision: a day ("2013-12-31"), a month ("2013-12") or a year
    ("2013"); null clears it. Read as (its last day, its precision), as the model stores it (`dates`)."""

    def to_internal_value(self, data):
        try:
            first, precision = dates.parse(data)
        except ValueError as refused:
            raise serializers.ValidationError(str(refused)) from None
        return dates.last_day(first, precision), precision

    def to_representation(self, value):
        return dates.written(*value)


class EvidenceField(serializers.CharField):
    """A link as the update form takes it (Django's URLField: no scheme is https), with the form's message."""

    def to_internal_value(self, data):
        link = forms.URLField(max_length=500, required=False, assume_scheme="https")
        try:
            return link.clean(super().to_internal_value(data))
        except DjangoInvalid as invalid:
            raise serializers.ValidationError(invalid.messages) from None


class UpdateSerializer(serializers.Serializer):
    """An update as the form takes it: a note, and the changes the rules allow the user (none: a note alone).
    A key it does not know is refused (a misspelt field is not silently no change)."""

    note = serializers.CharField(max_length=NOTE_MAX_LENGTH,
                                 error_messages={"required": NOTE_MISSING, "blank": NOTE_MISSING})
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    due_date = DueDateField(required=False, allow_null=True,
                            help_text='A day ("2027-06-30"), a month ("2027-06") or a year ("2027"); null clears it.')
    owner = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.none(),
                                         required=False, allow_null=True,
                                         error_messages={"does_not_exist": OWNER_REFUSED},
                                         help_text="A username (your own: take an item nobody owns); null: nobody.")
    evidence_url = EvidenceField(max_length=500, required=False, allow_blank=True, default="",
                                 help_text="A link (without a scheme: https).")
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True,
                                             default="", help_text="Why the item is not pursued (with that status).")
    due_date_reason = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True,
                                            default="", help_text="Why a due date already set moves.")
    verification = serializers.ChoiceField(choices=Verification.choices, required=False, allow_blank=True,
                                           help_text="\"verified\": an editor who did not claim the closure "
                                                     "verifies it (return it: reopen the item).")
    public = serializers.BooleanField(default=False, help_text="Publish the entry (internal by default).")
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="The item's version you read (or send its ETag in If-Match).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.context.get("item")
        if item is not None:  # who may own it: the same refusal for a name nobody has and one who may not
            self.fields["owner"].queryset = item.owner_choices()

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", None) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [gettext("Not a field of an update.")] for name in unknown})
        return attrs


class ProjectUpdateSerializer(UpdateSerializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)


def changes(item, data):
    """The tracked fields sent with a new value, as the update form's `changes`: a value equal to the item's
    (a client sending back what it read) is no change. A due date is a change with its precision."""
    sent = {field: data[field] for field in item.tracked_fields if field in data}
    new = {field: value for field, value in sent.items() if value != getattr(item, field)}
    if "due_date" in sent:
        due, precision = sent["due_date"] or (None, dates.Precision.DAY)
        new.pop("due_date")
        if due != item.due_date or (due is not None and precision != item.due_date_precision):
            new.update(due_date=due, due_date_precision=precision)
    return new


def expected_version(request, data):
    """The version the client read: If-Match (the item's ETag, "v7-…", or "7") or the `version` field."""
    sent = set()
    if "version" in data:
        sent.add(data["version"])
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = re.fullmatch(r'(?:W/)?"v?(\d+)(?:-[^"]*)?"', header)
        if not match:
            raise exceptions.ValidationError({"If-Match": [gettext('Send the ETag the item was read with ("v7-…"), '
                                                                   'or its version ("7").')]})
        sent.add(int(match.group(1)))
    if not sent:
        raise exceptions.ValidationError({"version": [VERSION_MISSING]})
    if len(sent) > 1:
        raise exceptions.ValidationError({"version": [gettext("If-Match and version name different versions.")]})
    return sent.pop()


class UpdateResult(serializers.Serializer):
    update = serializers.DictField(help_text="The timeline entry written.")
    item = serializers.DictField(help_text="The item as it is now (its new version).")


IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                            description="The item's ETag (or version) you read; or send `version`.")


@extend_schema_view(
    list=extend_schema(description="The item's timeline, newest first (the public: its published entries)."),
    create=extend_schema(
        description="Log an update with a personal token: the update form's rules and effects.",
        parameters=[IF_MATCH], responses={
            201: UpdateResult, 400: OpenApiResponse(description="A rule refused it: its message, by field."),
            401: OpenApiResponse(description="No token."),
            403: OpenApiResponse(description="Your role, or not the item's owner: why."),
            409: OpenApiResponse(description="The item changed since the version sent: nothing was saved.")}),
)
class UpdatesViewSet(ConditionalReads, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The timeline of one item of `item_model`, found by `lookup` (the item's viewset's)."""

    item_viewset = None
    ordering = ("-created_at", "-pk")

    @property
    def model(self):  # the timeline's model: its view permission reads it
        return self.item_viewset.model._meta.get_field("updates").related_model

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return ProjectUpdateSerializer if self.item_viewset.model is Project else UpdateSerializer
        return timeline_serializer(self.model)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public": is_public(self.request)}

    def item(self):
        if not hasattr(self, "_item"):
            viewset = self.item_viewset(request=self.request, format_kwarg=None)
            items = viewset.model.objects.visible_to(self.request.user)  # the item alone: its timeline is read
            self._item = get_object_or_404(items, **viewset.lookup(**self.kwargs))
        return self._item

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without an item
            return self.model.objects.none()
        entries = self.item().updates.visible_to(self.request.user)
        return entries if is_public(self.request) else entries.select_related("author", "owner_before", "owner_after")

    def create(self, request, *args, **kwargs):
        item = self.item()
        if not item.can_log_update(request.user):
            readable = request.user.has_perm(f"{item._meta.app_label}.view_{item._meta.model_name}")
            raise exceptions.PermissionDenied(gettext("You may read this item but not log updates on it.") if readable
                                              else NO_ROLE)
        given = self.get_serializer(data=request.data, context={**self.get_serializer_context(), "item": item})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        version = expected_version(request, data)
        try:
            entry = item.record_update(by=request.user, note=data["note"], evidence_url=data["evidence_url"],
                                       expected_version=version, public=data["public"],
                                       closure_reason=data["closure_reason"], due_date_reason=data["due_date_reason"],
                                       **changes(item, data))
        except EditConflict as conflict:
            detail = gettext("The item changed since version %(version)s (it is now version %(now)s): nothing was "
                             "saved. Read it again, then send your update with its new version.") % {
                "version": version, "now": conflict.item.version}
            return Response({"detail": detail, "version": conflict.item.version},
                            status=409)
        except Refused as refused:
            raise exceptions.PermissionDenied(str(refused)) from None
        except RuleBroken as broken:
            raise exceptions.ValidationError(getattr(broken, "message_dict", None) or broken.messages) from None
        return self.created(item, entry)

    def created(self, item, entry):
        context = self.get_serializer_context()
        viewset = self.item_viewset(request=self.request, format_kwarg=None)
        now = viewset.get_queryset().get(pk=item.pk)
        body = {"update": timeline_serializer(self.model)(entry, context=context).data,
                "item": viewset.serializer_class(now, context=context).data}
        return Response(body, status=201, headers={"Location": self.request.build_absolute_uri(item_path(item))})


class RecommendationUpdates(UpdatesViewSet):
    item_viewset = views.RecommendationViewSet


class FollowUpItemUpdates(UpdatesViewSet):
    item_viewset = views.FollowUpItemViewSet


class ProjectUpdates(UpdatesViewSet):
    item_viewset = views.ProjectViewSet


class ActionUpdates(UpdatesViewSet):
    item_viewset = ActionViewSet

