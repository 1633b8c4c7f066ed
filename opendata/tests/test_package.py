"""The open-data ZIP as a Data Package: every file described and every description's file there, the
descriptor holding what the Data Package, Table Schema and CSV Dialect specifications (v1) require, the CSV
and JSON files of a kind holding the same rows, and every natural key resolving."""

import csv
import datetime
import hashlib
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from opendata.models import OpenDataBuild
from opendata.package import RESOURCES
from recommendations import db
from recommendations.exports import Table
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

# The kinds of record the issue and the brief ask for, and the two the report also has (roundtables, concerns).
KINDS = {"meetings", "roundtables", "sessions", "session-participants", "actors", "themes", "recommendations",
         "follow-up-items", "projects", "project-partners", "project-concerns", "recommendation-timeline",
         "follow-up-item-timeline", "project-timeline", "lineage", "good-practices", "meeting-contributions",
         "actions", "action-timeline"}
# Table Schema v1: the field types and constraints it defines.
TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime", "year",
         "yearmonth", "duration", "geopoint", "geojson", "any"}
CONSTRAINTS = {"required", "unique", "minLength", "maxLength", "minimum", "maximum", "pattern", "enum"}
# CSV Dialect v1's properties.
DIALECT = {"delimiter", "lineTerminator", "quoteChar", "doubleQuote", "escapeChar", "nullSequence",
           "skipInitialSpace", "header", "commentChar", "caseSensitiveHeader", "csvddfVersion"}
NAME = re.compile(r"^[-a-z0-9._/]+$")  # a package's and a resource's name (Data Package v1)
REPORT = Path(settings.BASE_DIR, "fixtures", "gfmd2010", "report.txt").read_text().splitlines()


def test_each_kind_of_record_is_a_csv_and_a_json_file(package):
    assert set(package.tables()) == KINDS
    for kind in KINDS:
        assert package.resources[kind]["path"] == f"csv/{kind}.csv"
        assert package.resources[f"{kind}-json"]["path"] == f"json/{kind}.json"


def test_every_file_is_described_and_every_description_has_its_file(package):
    members = set(package.zip.namelist())
    described = {r["path"] for r in package.descriptor["resources"]}
    assert members == described | {"datapackage.json"}
    assert "LICENSE.txt" in described
    for resource in package.descriptor["resources"]:  # each file's size and hash as the descriptor states them
        content = package.zip.read(resource["path"])
        assert resource["bytes"] == len(content)
        assert resource["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}"


def test_the_descriptor_has_what_the_specification_requires(package):
    descriptor = package.descriptor
    assert NAME.match(descriptor["name"]) and descriptor["profile"] == "data-package"
    datetime.datetime.strptime(descriptor["created"], "%Y-%m-%dT%H:%M:%SZ")  # RFC 3339
    assert descriptor["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                                       "path": "https://creativecommons.org/licenses/by/4.0/"}]
    names = [r["name"] for r in descriptor["resources"]]
    assert len(names) == len(set(names)) and all(NAME.match(name) for name in names)
    for resource in descriptor["resources"]:
        assert "data" not in resource and not resource["path"].startswith("/") and ".." not in resource["path"]
        assert resource["profile"] in ("tabular-data-resource", "data-resource")
        assert resource["encoding"] == "utf-8" and resource["title"]
    for name in package.tables():
        resource = package.resources[name]
        assert resource["format"] == "csv" and resource["mediatype"] == "text/csv"
        assert set(resource["dialect"]) <= DIALECT
        check_schema(resource["schema"], package.resources)


def check_schema(schema, resources):
    fields = [field["name"] for field in schema["fields"]]
    assert len(fields) == len(set(fields))
    for field in schema["fields"]:
        assert field["type"] in TYPES, field
        assert field["description"].strip(), field
        assert set(field.get("constraints", {})) <= CONSTRAINTS, field
    assert set(schema.get("primaryKey", [])) <= set(fields)
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        assert set(key["fields"]) <= set(fields) and len(key["fields"]) == len(reference["fields"])
        target = [f["name"] for f in resources[reference["resource"]]["schema"]["fields"]]
        assert set(reference["fields"]) <= set(target), key


def test_every_column_of_every_file_is_described_with_a_type(package):
    for name in package.tables():
        described = [f["name"] for f in package.resources[name]["schema"]["fields"]]
        header = package.text(package.resources[name]["path"]).split("\r\n", 1)[0].split(",")
        assert header == described, name
        json_fields = package.resources[f"{name}-json"]["schema"]["fields"]
        assert [f["name"] for f in json_fields] == described
        assert all(f["type"] in TYPES and f["description"] for f in json_fields)
        assert all(list(record) == described for record in package.json(name)), name


def typed(cell, field):
    """A CSV cell as Table Schema reads it (an empty cell is missing), the list columns split, without the
    apostrophe the descriptor says the CSV puts before text starting with =, +, -, @."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        cell = cell[1:]
    if field["type"] == "array":
        return cell.split("; ") if cell else []
    if cell == "":
        return None
    return int(cell) if field["type"] == "integer" else cell


def test_the_csv_and_the_json_of_a_kind_hold_the_same_rows(package):
    counts = {table["name"]: table["rows"] for table in OpenDataBuild.objects.current().resources}
    for name in package.tables():
        fields = {f["name"]: f for f in package.resources[f"{name}-json"]["schema"]["fields"]}
        as_csv = [{key: typed(cell, fields[key]) for key, cell in row.items()} for row in package.csv(name)]
        assert as_csv == package.json(name), name
        assert len(as_csv) == counts[name]
    assert len(package.csv("recommendations")) == 45  # the report's 45 outcomes and recommendations


def keyed(package, name, fields):
    return [tuple(row[f] for f in fields) for row in package.csv(name)]


def test_every_natural_key_resolves(package):
    for name in package.tables():
        schema = package.resources[name]["schema"]
        if schema.get("primaryKey"):
            keys = keyed(package, name, schema["primaryKey"])
            assert len(keys) == len(set(keys)) and all(all(key) for key in keys), name
        for key in schema.get("foreignKeys", []):
            reference = key["reference"]
            known = set(keyed(package, reference["resource"], reference["fields"]))
            pointing = [k for k in keyed(package, name, key["fields"]) if any(k)]  # all empty: points nowhere
            assert pointing and set(pointing) <= known, (name, key, set(pointing) - known)


def test_the_lists_name_existing_records(package):
    slugs, actors = {t["slug"] for t in package.csv("themes")}, {a["name"] for a in package.csv("actors")}
    recommendations = {"/".join(k) for k in keyed(package, "recommendations", ("meeting", "session", "number"))}
    lists = [("recommendations", "themes", slugs), ("recommendations", "responsible_actors", actors),
             ("follow-up-items", "themes", slugs), ("follow-up-items", "responsible_actors", actors),
             ("projects", "themes", slugs), ("projects", "responsible_actors", actors),
             ("projects", "recommendations", recommendations), ("actors", "members", actors),
             ("good-practices", "actors", actors)]
    for name, column, known in lists:
        named = {value for row in package.csv(name) if row[column] for value in row[column].split("; ")}
        assert named and named <= known, (name, column, named - known)
    # 1.2/9, 3.1/3 and 3.3/3: the outcomes the projects serve (README, "Links")
    assert sorted(r["recommendations"] for r in package.csv("projects")) == ["", "2010/1.2/9", "2010/3.1/3; 2010/3.3/3"]


def test_the_lineage_names_its_ends_as_the_lineage_sheet_does(package):
    tables = {"recommendation": ("recommendations", ("meeting", "session", "number")),
              "follow-up item": ("follow-up-items", ("meeting", "session", "number")),
              "project": ("projects", ("title",))}
    links = package.csv("lineage")
    assert [(link["kind"], link["line"]) for link in links] == [
        ("Originates from", "785"), ("Builds on", "791"), ("Originates from", "799"), ("Forms part of", "799")]
    for link in links:
        for end in ("item", "target"):
            if link[f"{end}_kind"] or link[end]:
                name, fields = tables[link[f"{end}_kind"]]
                assert link[end] in {"/".join(k) for k in keyed(package, name, fields)}
        assert link["sentence"] in " ".join(REPORT[int(link["line"]) - 1].replace("*", "").split())


def test_no_column_is_a_database_id(package):
    for name in package.tables():
        for field in package.resources[name]["schema"]["fields"]:
            assert field["name"] not in ("id", "pk") and not field["name"].endswith("_id"), (name, field)


def test_dates_are_written_at_their_precision(package):
    meeting = package.csv("meetings")[0]
    assert REPORT[4] == "8 - 11 November 2010**"  # the report's dates, line 5
    assert (meeting["year"], meeting["start_date"], meeting["end_date"]) == ("2010", "2010-11-08", "2010-11-11")
    assessment = next(i for i in package.csv("follow-up-items") if (i["session"], i["number"]) == ("FOF", "1"))
    assert "in time for the High Level Dialogue in 2013" in REPORT[840]  # line 841: due 2013, a year
    assert assessment["due_date"] == "2013"
    entries = [e for e in package.csv("recommendation-timeline") if (e["session"], e["number"]) == ("2.1", "1")]
    assert "in Dubai in January 2011" in REPORT[460].replace("*", "")  # line 461: in progress from January 2011
    assert [(e["date"], e["status_before"], e["status_after"]) for e in entries] == [
        ("2010-11-11 12:00", "", "Not started"), ("2011-01", "Not started", "In progress")]
    rec = next(r for r in package.csv("recommendations") if (r["session"], r["number"]) == ("2.1", "1"))
    assert (rec["status"], rec["last_public_update"]) == ("In progress", "2011-01")


@pytest.mark.postgresql
def test_the_databases_csv_holds_the_same_cells_as_the_python_rows(settings, editor):
    """On PostgreSQL the database writes each table's CSV (COPY): the same cells as the Python rows, moments in
    the site's time zone at their precision, formula look-alikes neutralised, empty lists empty."""
    settings.TIME_ZONE = "America/Mexico_City"
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 4)
    rec.record_update(by=editor, note="=published, with a formula's look", public=True, progress=20,
                      due_date=datetime.date(2013, 1, 2))
    checked, copies = 0, {}
    for resource in RESOURCES:
        table = resource.table()
        if isinstance(table, Table):
            copied = list(csv.reader(io.StringIO(b"".join(db.csv_pieces(table)).decode(), newline="")))
            assert copied == list(table.rows()), resource.name
            copies[resource.name], checked = copied, checked + 1
    assert checked == len(RESOURCES) - 1  # all but the lineage, which Python writes
    entry = rec.updates.get(note__startswith="=published")
    local, utc = (entry.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                  for zone in (ZoneInfo("America/Mexico_City"), datetime.timezone.utc))
    assert ["2010", "1.2", "4", local, "'=published, with a formula's look", "", "", "", "0", "20", "",
            "2013-01-02"] in copies["recommendation-timeline"] and local != utc
