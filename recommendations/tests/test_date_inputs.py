"""Date inputs are the browser's date picker, which reads only ISO dates (2027-06-30): a date
shown in the language's format (30/06/2027 in en-gb) is dropped, and the next save sends none."""

import datetime

import pytest
from django import forms
from django.utils import timezone, translation

from partnerships.filters import ProjectFilterSet
from partnerships.forms import ProjectUpdateForm
from partnerships.models import Project
from recommendations.filters import RecommendationFilterSet
from recommendations.forms import UpdateForm
from recommendations.models import Recommendation
from recommendations.views.reports import AsOfForm, PeriodForm

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 6, 30)


def date_fields(form):
    return {name: field for name, field in form.fields.items() if isinstance(field, forms.DateField)}


def test_every_date_input_shows_an_iso_date_in_british_english(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    project = Project.objects.get(title="Developing Migration Profiles")
    every_form = {
        "update": UpdateForm(item=rec, user=editor),
        "project update": ProjectUpdateForm(item=project, user=editor),
        "recommendation filters": RecommendationFilterSet().form,
        "project filters": ProjectFilterSet().form,
        "status as of": AsOfForm(),
        "what changed": PeriodForm(),
    }
    with translation.override("en-gb"):
        rendered = {what: {name: field.widget.render(name, DUE) for name, field in date_fields(form).items()}
                    for what, form in every_form.items()}
    filters = {name: f'<input type="date" name="{name}" value="2027-06-30">'
               for name in ("due_after", "due_before", "updated_since")}
    assert rendered == {
        "update": {"due_date": '<input type="date" name="due_date" value="2027-06-30">'},
        "project update": {"due_date": '<input type="date" name="due_date" value="2027-06-30">'},
        "recommendation filters": filters,
        "project filters": filters,
        "status as of": {"as_of": '<input type="date" name="as_of" value="2027-06-30">'},
        "what changed": {"start": '<input type="date" name="start" value="2027-06-30">',
                         "end": '<input type="date" name="end" value="2027-06-30">'},
    }


def test_the_update_form_shows_the_items_due_date_for_the_next_update(client, staff):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    Recommendation.objects.filter(pk=rec.pk).update(owner=staff)
    rec.refresh_from_db()
    rec.record_update(by=staff, note="Due at the end of June 2027.", due_date=DUE)
    client.force_login(staff)
    body = client.get(rec.get_absolute_url()).content.decode()
    assert '<input type="date" name="due_date" value="2027-06-30" id="id_due_date">' in body


def test_what_changed_opens_on_the_last_30_days_in_its_date_inputs(viewer_client):
    today = timezone.localdate()
    body = viewer_client.get("/reports/changes/").content.decode()
    start = today - datetime.timedelta(days=30)
    assert f'<input type="date" name="start" value="{start:%Y-%m-%d}" required id="id_start">' in body
    assert f'<input type="date" name="end" value="{today:%Y-%m-%d}" required id="id_end">' in body


def test_a_date_written_day_first_in_an_address_is_shown_in_the_box_that_uses_it(viewer_client):
    # The forms read en-gb dates (30/06/2027) as well as ISO ones; the boxes show them as ISO,
    # or the browser shows an empty box for a period or filter that is in force.
    changes = viewer_client.get("/reports/changes/?start=01/11/2026&end=04/12/2026").content.decode()
    listed = viewer_client.get("/recommendations/?due_after=30/06/2027").content.decode()

    assert '<input type="date" name="start" value="2026-11-01" required id="id_start">' in changes
    assert '<input type="date" name="end" value="2026-12-04" required id="id_end">' in changes
    assert '<input type="date" name="due_after" value="2027-06-30" id="id_due_after">' in listed
