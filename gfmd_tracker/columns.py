"""The columns of the spreadsheets as people read them: each column's label in the reader's language (an Excel
sheet's header row, the admin export page's boxes) and its width. A column's name (`responsible_actors`) never
changes with the language: it is what a CSV file and a government's system read."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext_lazy

# Excel sheets are read by people: a label over each column in the reader's language (imports accept it in any
# language, or the name: see `column_names`), a width for it, the header row frozen and filterable. CSV keeps the
# names, which never change with the language (what a government's system reads).
COLUMN_TITLES = {
    "action": gettext_lazy("Action"), "actions_reported": gettext_lazy("Actions reported"),
    "actions_total": gettext_lazy("Actions total"), "actor": gettext_lazy("Actor"), "ageing": gettext_lazy("Ageing"),
    "closures_awaiting_verification": gettext_lazy("Closures awaiting verification"),
    "closures_verified": gettext_lazy("Closures verified"), "country": gettext_lazy("Country"),
    "current": gettext_lazy("Current"), "days_later_in_all": gettext_lazy("Days later in all"),
    "description": gettext_lazy("Description"), "due_date": gettext_lazy("Due date"),
    "freshness": gettext_lazy("Freshness"), "inactive": gettext_lazy("Inactive"), "item": gettext_lazy("Item"),
    "item_kind": gettext_lazy("Item kind"), "items_and_actions": gettext_lazy("Items and actions"),
    "kind": gettext_lazy("Kind"), "last_note": gettext_lazy("Last note"), "last_update": gettext_lazy("Last update"),
    "last_public_note": gettext_lazy("Last public note"), "last_public_update": gettext_lazy("Last public update"),
    "line": gettext_lazy("Line"), "meeting": gettext_lazy("Meeting"), "members": gettext_lazy("Members"),
    "name": gettext_lazy("Name"), "note": gettext_lazy("Note"), "notes": gettext_lazy("Notes"),
    "number": gettext_lazy("Number"), "origin": gettext_lazy("Origin"), "overdue": gettext_lazy("Overdue"),
    "owner": gettext_lazy("Owner"), "parent": gettext_lazy("Parent"),
    "partner_in_projects": gettext_lazy("Partner in PfP projects"), "priority": gettext_lazy("Priority"),
    "progress": gettext_lazy("Progress (%)"), "progress_over_reported": gettext_lazy("Progress over the reported"),
    "project": gettext_lazy("Project"), "public": pgettext_lazy("spreadsheet column", "Public"),
    "reasons": gettext_lazy("Reasons"),
    "recommendations": gettext_lazy("Recommendations"), "reference_part": gettext_lazy("Reference part"),
    "reference_source": gettext_lazy("Reference source"), "reference_words": gettext_lazy("Reference words"),
    "reported": pgettext_lazy("coverage", "Reported"),
    "reported_last_90_days": gettext_lazy("Reported in the last 90 days"),
    "responsible_actors": gettext_lazy("Responsible actors"), "role": gettext_lazy("Role"),
    "rolled_up_progress": gettext_lazy("Rolled-up progress (%)"), "sentence": gettext_lazy("Sentence"),
    "session": gettext_lazy("Session"), "sessions_co_chaired": gettext_lazy("Sessions co-chaired"),
    "short_name": gettext_lazy("Short name"), "slipped": gettext_lazy("Slipped"),
    "source_line": gettext_lazy("Source line"), "stage": gettext_lazy("Stage"), "stale": gettext_lazy("Stale"),
    "status": gettext_lazy("Status"), "target": gettext_lazy("Target"), "target_kind": gettext_lazy("Target kind"),
    "text": gettext_lazy("Text"), "themes": gettext_lazy("Themes"),
    "times_moved_later": gettext_lazy("Times moved later"), "title": gettext_lazy("Title"),
    "unknown": pgettext_lazy("coverage", "Unknown"), "verification": gettext_lazy("Verification"),
    "weight": gettext_lazy("Weight"),
}

COLUMN_WIDTHS = {"text": 80, "description": 60, "title": 40, "origin": 40, "notes": 40, "note": 40, "last_note": 50,
                 "last_public_note": 50, "responsible_actors": 40, "members": 40, "recommendations": 30, "themes": 30,
                 "project": 40, "actor": 30, "name": 30}


def column_label(name):
    """The header of a column in an Excel sheet, in the active language: `responsible_actors` is "Responsible
    actors", « Acteurs responsables »; a translation's `title_fr` "Title (French)", « Titre (français) »."""
    from .content import translation_label, translation_of  # not at the top: settings.py imports this module

    if translated := translation_of(name):
        field, language = translated
        return translation_label(column_label(field), language)
    return str(COLUMN_TITLES.get(name) or capfirst(name.replace("_", " ")))


def column_choice(name):
    """A column's box on the export page: its label, and its name as a CSV file writes it where the two differ
    ("Statut (status)"; "Status" in English)."""
    label = column_label(name)
    same = label.lower().replace("(%)", "").strip() == name.replace("_", " ")
    return label if same else f"{label} ({name})"


def column_width(name):
    """An Excel column's width: a translation's, its original's."""
    from .content import translation_of

    name = translated[0] if (translated := translation_of(name)) else name
    return COLUMN_WIDTHS.get(name, max(12, len(column_label(name)) + 4))


def column_language(name):
    """The language a column's cells are written in, for a page that shows a file's cells (the import preview): a
    translation's its language; none known for a note people write; English for the others, whose values files keep
    in English ("In progress", yes / no) or which hold the report's English."""
    from .content import translation_of

    if translated := translation_of(name):
        return translated[1]
    return "" if name in ("note", "notes", "description", "last_note", "last_public_note") else "en"
