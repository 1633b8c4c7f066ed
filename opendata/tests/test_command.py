"""`manage.py build_open_data`: what it says, what it refuses, and that a build that fails leaves the current
download as it was."""

import io
import re
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from opendata import publish
from opendata.models import OpenDataBuild

from .conftest import build_package

pytestmark = pytest.mark.django_db


def test_it_says_what_it_built_and_where_it_is_served():
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    build = OpenDataBuild.objects.get()
    rows = sum(table["rows"] for table in build.resources)
    lines = out.getvalue().splitlines()
    assert re.fullmatch(rf"Built {re.escape(build.name)}: 19 kinds of record, {rows:,} rows, [\d.]+\xa0KB, in "
                        rf"[\d.]+ s \(data as of {build.built_at:%Y-%m-%d %H:%M:%S} UTC; licence CC-BY-4.0\)\.",
                        lines[0]), lines[0]
    assert lines[1:] == ["Served at /open-data/gfmd-tracker.zip"]


def test_with_more_verbosity_it_counts_the_rows_of_each_kind():
    out = io.StringIO()
    call_command("build_open_data", verbosity=2, stdout=out)
    counts = dict(re.findall(r"^  (\S+) +([\d,]+) rows$", out.getvalue(), re.M))
    # The report's: 45 recommendations in 7 sessions, 3 PfP projects, 11 sessions, 1 meeting.
    assert (counts["recommendations"], counts["projects"], counts["sessions"], counts["meetings"]) == (
        "45", "3", "11", "1")
    assert len(counts) == 19


def test_a_licence_it_does_not_know_is_refused_and_nothing_is_built(settings):
    settings.OPEN_DATA_LICENSE = "Any-Licence"
    with pytest.raises(CommandError) as refused:
        call_command("build_open_data", stdout=io.StringIO())
    assert str(refused.value) == ("OPEN_DATA_LICENSE is 'Any-Licence': use one of CC-BY-4.0, CC-BY-SA-4.0, "
                                  "CC0-1.0, ODC-By-1.0, ODbL-1.0, PDDL-1.0 (SPDX identifiers).")
    assert not OpenDataBuild.objects.exists()


def test_a_build_that_cannot_be_saved_leaves_the_current_download_as_it_was(open_data_storage):
    build_package()
    before = OpenDataBuild.objects.get()
    with mock.patch.object(type(publish.storage()), "save", side_effect=OSError("disk full")):
        with pytest.raises(OSError):
            publish.build()
    assert list(OpenDataBuild.objects.all()) == [before]
    assert [p.name for p in open_data_storage.iterdir()] == [before.name]


def test_a_build_that_cannot_be_recorded_leaves_no_file_behind(open_data_storage):
    build_package()
    before = OpenDataBuild.objects.get()
    with mock.patch.object(OpenDataBuild.objects, "create", side_effect=DatabaseError("gone")):
        with pytest.raises(DatabaseError):
            publish.build()
    assert list(OpenDataBuild.objects.all()) == [before]
    assert [p.name for p in open_data_storage.iterdir()] == [before.name]
