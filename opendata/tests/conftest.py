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


@pytest.fixture
def package(db):
    return build_package()
