"""The open-data tests write their ZIPs to a directory of their own, never the project's open-data/."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from opendata import publish
from opendata.models import OpenDataBuild


@pytest.fixture(autouse=True)
def open_data_storage(settings, tmp_path):
    location = tmp_path / "open-data"
    settings.STORAGES = {**settings.STORAGES, "open_data": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    return location


class Package:
    """A built ZIP, read as anyone who downloads it would."""

    def __init__(self, content):
        self.content = content
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        self.descriptor = json.loads(self.zip.read("datapackage.json"))
        self.resources = {r["name"]: r for r in self.descriptor["resources"]}

    def text(self, path):
        return self.zip.read(path).decode("utf-8")

    def csv(self, name):
        """The rows of csv/<name>.csv as dicts of cells (text)."""
        return list(csv.DictReader(io.StringIO(self.text(self.resources[name]["path"]), newline="")))

    def json(self, name):
        return json.loads(self.text(self.resources[f"{name}-json"]["path"]))

    def tables(self):
        return [name for name, r in self.resources.items() if r.get("profile") == "tabular-data-resource"]


def build_package():
    call_command("build_open_data", stdout=io.StringIO())
    build = OpenDataBuild.objects.current()
    with publish.storage().open(build.name, "rb") as file:
        return Package(file.read())


def with_actions(staff, editor):
    """Actions under a recommendation and a project, each with a public entry, and one unpublished action: the
    package's actions tables have rows, and their keys something to point at."""
    from partnerships.models import Project
    from recommendations import services
    from recommendations.models import Recommendation, Status

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    project = Project.objects.get(title__startswith="Handbook")
    workshop = services.add_action(rec, by=staff, title="Workshop in Dubai")
    workshop.record_update(by=staff, note="Venue booked.", status=Status.IN_PROGRESS, progress=30, public=True)
    services.add_action(project, by=staff, title="Translate it").record_update(
        by=staff, note="Translator found.", status=Status.PLANNED, public=True)
    draft = services.add_action(rec, by=staff, title="Draft step")
    services.set_items_public([draft], public=False, by=editor)
    return {"rec": rec, "project": project, "workshop": workshop, "draft": draft}


@pytest.fixture
def package(db, staff, editor):
    with_actions(staff, editor)
    return build_package()
