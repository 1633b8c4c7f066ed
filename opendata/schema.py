"""How the open data describe themselves: a `Resource` (one kind of record) is its table (`exports.Table`, or
any object with the same `rows()`) and its `Field`s, and becomes two files of the ZIP, `csv/<name>.csv` and
`json/<name>.json`, each described in `datapackage.json` (Frictionless Data, Data Package v1: Table Schema
types, primary and foreign keys by natural key)."""

from dataclasses import dataclass, field
from typing import Callable

from gfmd_tracker.content import LANGUAGE_NAMES, translation_of
from recommendations.exports import Column, Many, Table, translation_columns
from recommendations.imports.widgets import restore_formula_text

# A date at its precision, as the downloads write it: "2013", "2013-01", "2013-01-31".
DAY_MONTH_OR_YEAR = r"\d{4}(-\d{2}(-\d{2})?)?"
# A moment at its precision: the same, or to the minute ("2010-11-11 12:00", in the site's time zone).
MOMENT = r"\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2})?)?)?"
LIST_SEPARATOR = "; "  # of a list's values in one CSV cell, as the downloads join them


@dataclass
class Field:
    """A column: its name (the CSV header), Table Schema type, description, where its cells come from (a
    `Column`/`Many` of `exports`, or None where the resource's table brings its own), and constraints.
    `type="list"` is a list of values: one cell joined by "; " in the CSV, an array in the JSON."""

    name: str
    type: str
    description: str
    column: Column | Many | None = None
    constraints: dict = field(default_factory=dict)

    def descriptor(self, json=False):
        kind = ("array" if json else "string") if self.type == "list" else self.type
        described = {"name": self.name, "type": kind, "description": self.description}
        if self.type == "list" and not json:
            described["description"] += f' Separated by "{LIST_SEPARATOR}"; empty if none.'
        if self.constraints:
            described["constraints"] = self.constraints
        return described

    def json_value(self, cell):
        """The CSV cell as the JSON file holds it: a number, a list, a string, or null for an empty cell; text as
        written, without the apostrophe the CSV puts before what a spreadsheet would run as a formula."""
        cell = restore_formula_text(cell)
        if self.type == "list":
            return cell.split(LIST_SEPARATOR) if cell else []
        if cell == "":
            return None
        return int(cell) if self.type == "integer" else cell


def text(name, description, path=None, **constraints):
    return Field(name, "string", description, Column(name, path or name), constraints)


def integer(name, description, path=None):
    return Field(name, "integer", description, Column(name, path or name))


def label(name, description, choices, path=None):
    """A choice, written as its label ("Not started"), as the downloads write it."""
    return Field(name, "string", description, Column(name, path or name, dict(choices)),
                 {"enum": [str(text) for _, text in choices]})


def at_precision(name, description, path, precision, pattern=DAY_MONTH_OR_YEAR):
    return Field(name, "string", description, Column(name, path, precision=precision), {"pattern": pattern})


def names(name, description, field_name, values=("name",), order=("name",), template="{}"):
    """The names of the related records of a many-to-many field, in one list."""
    return Field(name, "list", description, Many(name, field_name, values, template, order))


def translations(*fields):
    """A column per editors' translation of `fields` (title_fr, title_es, text_fr, ...: those of the downloads)."""
    described = []
    for column in translation_columns(*fields):
        field, language = translation_of(column.header)
        described.append(Field(column.header, "string", f"An editor's {LANGUAGE_NAMES[language]} translation of "
                               f"{field}; empty if there is none. {field} is the report's English, the official "
                               "text.", column))
    return described


@dataclass
class Resource:
    """One kind of record. `source()` gives its rows: an `exports.Table`, or any object with the same `rows()`
    (without a source, `queryset()` and the fields' columns make the table); `primary_key` names the fields that
    identify a row, `foreign_keys` are (fields, resource, its fields) that point at another resource's rows."""

    name: str
    title: str
    description: str
    fields: list
    queryset: Callable | None = None
    source: Callable | None = None
    primary_key: tuple = ()
    foreign_keys: tuple = ()

    def table(self):
        if self.source is not None:
            return self.source()
        columns = [f.column for f in self.fields]
        return Table(self.queryset(), columns, last_note=False, only_public=True)

    @property
    def csv_path(self):
        return f"csv/{self.name}.csv"

    @property
    def json_path(self):
        return f"json/{self.name}.json"

    def csv_descriptor(self, stats):
        schema = {"fields": [f.descriptor() for f in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": list(fields), "reference": {"resource": resource,
                                                                            "fields": list(reference)}}
                                     for fields, resource, reference in self.foreign_keys]
        return {"name": self.name, "title": self.title, "description": self.description, "path": self.csv_path,
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                            "header": True},
                "schema": schema, **stats}

    def json_descriptor(self, stats):
        return {"name": f"{self.name}-json", "title": f"{self.title} (JSON)",
                "description": f"The rows of {self.csv_path} as a JSON array of objects, one per row, keyed by "
                               "the same field names: numbers as numbers, lists as arrays, empty cells as null, "
                               "text as written (without the CSV's apostrophe before a formula's look).",
                "path": self.json_path, "profile": "data-resource", "format": "json", "mediatype": "application/json",
                "encoding": "utf-8", "schema": {"fields": [f.descriptor(json=True) for f in self.fields]},
                **stats}
