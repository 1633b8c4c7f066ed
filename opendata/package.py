"""The open-data ZIP, written in one pass over each kind of record: `csv/<name>.csv` straight into the ZIP (the
database writes it, as the lists' CSV downloads) and `json/<name>.json` from the same rows read back, through a
temporary file, a piece at a time, never a whole table in memory; then `LICENSE.txt` and `datapackage.json`,
which describes every file. All tables are read from one snapshot of the database (`db.snapshot`), so that
their keys agree however the data change meanwhile."""

import csv
import hashlib
import io
import json
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from recommendations import db
from recommendations.exports import Table

from . import actions, follow_up, forum

# The referenced before those that refer to them.
RESOURCES = [*forum.RESOURCES, *follow_up.RESOURCES, *actions.RESOURCES]
PIECE = 256 * 1024  # bytes handed to the compressor at once
SPOOL = 8 * 2**20  # a JSON file is kept in memory up to this size, then on disk
COMPRESSLEVEL = 3

# The licences OPEN_DATA_LICENSE may name (SPDX identifiers): title and address.
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution Share Alike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License v1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
REPORT = ("Report of the Proceedings, Fourth Meeting of the Global Forum on Migration and Development (GFMD), "
          "Puerto Vallarta, Mexico, 8–11 November 2010")


def licence():
    """(identifier, title, address) of OPEN_DATA_LICENSE; an identifier it does not know is refused, saying
    which it knows."""
    name = settings.OPEN_DATA_LICENSE
    if name not in LICENCES:
        raise ImproperlyConfigured(f"OPEN_DATA_LICENSE is '{name}': use one of {', '.join(LICENCES)} "
                                   "(SPDX identifiers).")
    return (name, *LICENCES[name])


class Member:
    """A file being written: its bytes go to `out` in pieces, counted and hashed on the way."""

    def __init__(self, out):
        self.out, self.pending, self.size, self.bytes, self.hash = out, [], 0, 0, hashlib.sha256()

    def write(self, data):
        self.pending.append(data)
        self.size += len(data)
        if self.size >= PIECE:
            self.flush()

    def flush(self):
        data = b"".join(self.pending)
        self.out.write(data)
        self.hash.update(data)
        self.bytes += len(data)
        self.pending, self.size = [], 0

    def stats(self):
        self.flush()
        return {"bytes": self.bytes, "hash": f"sha256:{self.hash.hexdigest()}"}


class _Line:
    def write(self, value):
        return value


def pieces(table):
    """The table as CSV bytes, headers first, in pieces of whole rows: written by the database where it can,
    as the lists' CSV downloads are (`db.csv_pieces`: COPY on PostgreSQL), else a row at a time."""
    if isinstance(table, Table):
        return db.csv_pieces(table)
    line = csv.writer(_Line())
    return (line.writerow(row).encode() for row in table.rows())


def records(resource, as_csv):
    """The resource's CSV written to `as_csv` while its rows are read back, as lists of cells: the JSON file's
    rows are the CSV file's. Its headers must be the fields described. A cell may be as long as an editor wrote
    it (the csv module's default limit, 131,072 characters, is lifted while the rows are read)."""
    def lines():
        for piece in pieces(resource.table()):
            as_csv.write(piece)
            yield from io.StringIO(piece.decode(), newline="")

    limit = csv.field_size_limit(sys.maxsize)
    try:
        rows = csv.reader(lines())
        headers, described = next(rows), [f.name for f in resource.fields]
        if headers != described:
            raise ImproperlyConfigured(f"The open data's {resource.name} table has the columns {headers}, "
                                       f"but its description names {described}.")
        yield from rows
    finally:
        csv.field_size_limit(limit)


def write_resource(archive, resource):
    """Both files of one resource; (rows, the CSV file's stats, the JSON file's)."""
    encode, fields, count = json.JSONEncoder(ensure_ascii=False).encode, resource.fields, 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
        as_json = Member(spool)
        with archive.open(resource.csv_path, "w", force_zip64=True) as out:
            as_csv = Member(out)
            as_json.write(b"[")
            for row in records(resource, as_csv):
                record = {f.name: f.json_value(value) for f, value in zip(fields, row)}
                as_json.write((",\n" if count else "\n").encode() + encode(record).encode())
                count += 1
            as_json.write(b"\n]\n")
            csv_stats, json_stats = as_csv.stats(), as_json.stats()
        spool.seek(0)
        with archive.open(resource.json_path, "w", force_zip64=True) as out:
            shutil.copyfileobj(spool, out, PIECE)
    return count, csv_stats, json_stats


@dataclass
class Built:
    built_at: object
    licence: str
    resources: list  # [{name, title, description, rows}], one per kind of record


def write(out):
    """The whole ZIP into the binary file `out`; what it holds (`Built`). In English whoever builds it: its cells
    (choices' labels, kinds of record) are data that programs read, as its file and column names are."""
    with translation.override("en"):
        return _write(out)


def _write(out):
    identifier, title, address = licence()
    descriptors, tables = [], []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as archive:
        with db.snapshot():
            built_at = timezone.now()
            for resource in RESOURCES:
                rows, csv_stats, json_stats = write_resource(archive, resource)
                descriptors += [resource.csv_descriptor(csv_stats), resource.json_descriptor(json_stats)]
                tables.append({"name": resource.name, "title": resource.title, "description": resource.description,
                               "rows": rows})
        statement = licence_statement(identifier, title, address, built_at).encode()
        archive.writestr("LICENSE.txt", statement)
        descriptors.append({"name": "licence", "title": "Licence statement", "path": "LICENSE.txt",
                            "profile": "data-resource", "format": "txt", "mediatype": "text/plain",
                            "encoding": "utf-8", "bytes": len(statement),
                            "hash": f"sha256:{hashlib.sha256(statement).hexdigest()}"})
        package = descriptor(descriptors, identifier, title, address, built_at)
        archive.writestr("datapackage.json", json.dumps(package, indent=1, ensure_ascii=False) + "\n")
    return Built(built_at, identifier, tables)


def descriptor(resources, identifier, title, address, built_at):
    return {
        "profile": "data-package",
        "name": "gfmd-tracker",
        "title": "GFMD Tracker: what became of the outcomes of the Global Forum on Migration and Development",
        "description": "The public data of GFMD Tracker: the Forum's meetings, sessions and actors, its outcomes and "
                       "recommendations verbatim, and their follow-up (status, progress, published updates, "
                       "partners, lineage). Only what the public portal shows: no owners, no internal notes, no "
                       "unpublished items. Every table is a CSV file and a JSON file with the same rows; records "
                       "point at each other by natural keys (a meeting's year, a session's code, an actor's name), "
                       "never by database ids. In the CSV files, text cells that a spreadsheet would run as a "
                       "formula (starting with =, +, -, @) begin with an apostrophe, as in every download of the "
                       "tracker; the JSON files hold the text as written.",
        "created": built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["migration", "development", "GFMD", "recommendations", "follow-up", "accountability"],
        "licenses": [{"name": identifier, "title": title, "path": address}],
        "sources": [{"title": REPORT}],
        "resources": resources,
    }


def licence_statement(identifier, title, address, built_at):
    return (
        f"GFMD Tracker open data, built {built_at:%Y-%m-%d %H:%M} UTC\n\n"
        f"The tracker's own data in this package (statuses, progress, stages, due dates, priorities, the notes "
        f"staff published and their dates, themes, responsible actors, partners' roles, the links between "
        f"records) are licensed under {title} ({identifier}): {address}\n"
        f"Attribute them as: GFMD Tracker open data, {built_at:%Y-%m-%d}.\n\n"
        f"The verbatim texts (recommendations and follow-up items, project descriptions, good practices, "
        f"contributions, the sentences quoted in lineage links and timeline entries seeded from the report) are "
        f"the words of the {REPORT}, a public document of the GFMD. The tracker quotes them and does not license "
        f"them: they remain subject to the terms under which the GFMD publishes its report.\n"
    )
