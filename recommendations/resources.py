"""Spreadsheet import/export (django-import-export) with natural-key columns.

Rows point at other records by what people read (meeting year, session code,
actor name, theme slug, username), never by database id. Every bad cell gets a
message that says what is wrong, and a file with any bad row writes nothing.
Changes to status, owner, progress or due date go through `record_update`, so an
import leaves the same timeline entries as a user view.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from .models import Actor, FollowUpItem, Priority, Recommendation, Session, Status, Theme


def _label_list(choices):
    return ", ".join(str(label) for _, label in choices)


class ChoiceWidget(widgets.Widget):
    """Exports a choice's label; imports its label or its value, in any case."""

    def __init__(self, choices, what, allow_blank=False, **kwargs):
        self.choices = choices
        self.what = what
        self.allow_blank = allow_blank
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.allow_blank:
                return ""
            raise ValueError(f"{self.what} is required. Use one of: {_label_list(self.choices)}.")
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise ValueError(
                f"Unknown {self.what.lower()} '{text}'. Use one of: {_label_list(self.choices)}."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by one readable field, with a clear message when nothing matches."""

    def __init__(self, model, field, what, **kwargs):
        self.what = what
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return self.get_queryset(text, row).get(**self.get_lookup_kwargs(text, row))
        except self.model.DoesNotExist:
            raise ValueError(self.not_found_message(text, row)) from None

    def not_found_message(self, text, row):
        return f"Unknown {self.what} '{text}'."


class SessionWidget(LookupWidget):
    """A session by its code, within the meeting named in the row's `meeting` column."""

    def __init__(self, **kwargs):
        super().__init__(Session, field="code", what="session", **kwargs)

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"code": value, "meeting__year": (row or {}).get("meeting")}

    def not_found_message(self, text, row):
        return f"Unknown session '{text}' for meeting {(row or {}).get('meeting') or '(no meeting given)'}."

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class NamedManyWidget(widgets.ManyToManyWidget):
    """Several records by name, separated by ';'. Any unknown name is an error, not skipped."""

    def __init__(self, model, field, what, **kwargs):
        self.what = what
        super().__init__(model, separator=";", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        found = {getattr(obj, self.field): obj for obj in self.model.objects.filter(**{f"{self.field}__in": names})}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValueError(f"Unknown {self.what}: {', '.join(unknown)}.")
        return [found[n] for n in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(str(getattr(o, self.field)) for o in value.all()) if value is not None else ""


class MeetingYearField(fields.Field):
    """The meeting's year: read through the session on export; the session widget uses it on import."""

    def __init__(self):
        super().__init__(attribute="session__meeting__year", column_name="meeting", readonly=True)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Make a cell a spreadsheet would run as a formula inert, by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_text(value):
    """The inverse on import, so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class BaseResource(resources.ModelResource):
    """What every spreadsheet of the tracker does.

    - A file with any invalid row writes nothing, whoever calls the import.
    - No exported cell runs as a formula in a spreadsheet (=, +, -, @, tab, CR).
    """

    deferred_m2m = ()  # many-to-many columns checked after all rows are in

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            row[key] = restore_formula_text(value)
        super().before_import_row(row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many cells are saved after the row; check them now, so that a bad
        # name is reported with the row's other problems instead of as a crash.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if (isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row
                    and field.column_name not in self.deferred_m2m):
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)


class TrackedItemResource(BaseResource):
    """Shared columns and import rules of every tracked item.

    Follow-up fields read from a row are not written straight onto the record:
    they are held back and applied by `record_update` (or, for a new record,
    noted by `start_timeline`), so the timeline says who changed what by import.
    """

    status = fields.Field(attribute="status", column_name="status", widget=ChoiceWidget(Status.choices, "Status"))
    owner = fields.Field(
        attribute="owner", column_name="owner",
        widget=LookupWidget(get_user_model(), field="username", what="user"),
    )
    responsible_actors = fields.Field(
        attribute="responsible_actors", column_name="responsible_actors",
        widget=NamedManyWidget(Actor, field="name", what="actor(s)"),
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=NamedManyWidget(Theme, "slug", "theme(s)"))
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=widgets.DateWidget("%Y-%m-%d"))
    progress = fields.Field(attribute="progress", column_name="progress", widget=widgets.IntegerWidget())
    priority = fields.Field(
        attribute="priority", column_name="priority",
        widget=ChoiceWidget(Priority.choices, "Priority", allow_blank=True),
    )

    import_note = "Changed by spreadsheet import."
    create_note = "Created by spreadsheet import."

    def import_instance(self, instance, row, **kwargs):
        instance._tracked_before = {f: getattr(instance, f) for f in instance.tracked_fields} if instance.pk else None
        super().import_instance(instance, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        user = getattr(self, "import_user", None)
        if is_create:
            instance.save(force_insert=True)
            instance.start_timeline(note=self.create_note, by=user)
            return
        # Save the other columns with the old follow-up values, then apply the new ones
        # through record_update so that the change is in the timeline.
        before = instance._tracked_before
        changes = {f: getattr(instance, f) for f, old in before.items() if getattr(instance, f) != old}
        for field in changes:
            setattr(instance, field, before[field])
        instance.version += 1  # an open edit form of this item is now out of date
        instance.save()
        if changes:
            instance.record_update(by=user, note=self.import_note, **changes)

    def before_import(self, dataset, **kwargs):
        self.import_user = kwargs.get("user")
        super().before_import(dataset, **kwargs)


class RecommendationResource(TrackedItemResource):
    meeting = MeetingYearField()
    session = fields.Field(attribute="session", column_name="session", widget=SessionWidget())
    number = fields.Field(attribute="number", column_name="number", widget=widgets.IntegerWidget())

    class Meta:
        model = Recommendation
        import_id_fields = ("meeting", "session", "number")
        fields = (
            "meeting", "session", "number", "title", "text", "themes", "status", "owner", "responsible_actors",
            "due_date", "progress", "priority",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        try:
            year, number = int(float(row.get("meeting"))), int(float(row.get("number")))
        except (TypeError, ValueError):
            return None  # a new row; the field widgets then say what is wrong with it
        return self._meta.model.objects.filter(
            session__meeting__year=year, session__code=str(row.get("session") or "").strip(), number=number
        ).first()

    def get_queryset(self):
        return (
            super().get_queryset()
            .select_related("session__meeting", "owner")
            .prefetch_related("themes", "responsible_actors")
        )

    def after_import(self, dataset, result, **kwargs):
        # A row may have created a recommendation or moved it to another session (only
        # recommendations keep their report order in a column).
        if hasattr(self._meta.model.objects, "renumber"):
            self._meta.model.objects.filter(pk__in=[r.object_id for r in result.rows if r.object_id]).renumber()
        super().after_import(dataset, result, **kwargs)


class FollowUpItemResource(RecommendationResource):
    class Meta(RecommendationResource.Meta):
        model = FollowUpItem


class CountryWidget(widgets.Widget):
    """An ISO 3166 alpha-2 code, checked against the list of countries."""

    def clean(self, value, row=None, **kwargs):
        from django_countries import countries

        code = str(value or "").strip().upper()
        if code and code not in countries:
            raise ValueError(f"'{code}' is not an ISO 3166 country code (e.g. MX, CH, PH).")
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class ActorResource(BaseResource):
    """Actors by name. Members are linked after every row is in, so a group may list
    actors that come later in the same file."""

    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Actor.Kind.choices, "Kind")
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    members = fields.Field(
        attribute="members", column_name="members", widget=NamedManyWidget(Actor, field="name", what="member(s)")
    )
    deferred_m2m = ("members",)

    class Meta:
        model = Actor
        import_id_fields = ("name",)
        fields = ("name", "short_name", "kind", "country", "members", "notes")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")

    def before_import(self, dataset, **kwargs):
        self.pending_members = []
        super().before_import(dataset, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "members":
            if is_m2m and field.column_name in row:
                self.pending_members.append((instance, row))
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        widget = self.fields["members"].widget
        for instance, row in self.pending_members:
            try:
                instance.members.set(widget.clean(row["members"], row))
            except ValueError as error:
                raise ValueError(f"Actor '{instance.name}': {error}") from None
        super().after_import(dataset, result, **kwargs)
