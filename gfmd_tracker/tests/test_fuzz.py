"""Property-based tests (Hypothesis): whatever is typed into the update form, the report
filters, an address's path segments or the admin's filters and searches, the answer is a page
or a refusal with a message, never a server error."""

from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

# Derandomized: CI runs the same cases every time (a failure is reproducible, never flaky).
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any text, including NUL, control and non-Latin characters, and text that looks like a value.
values = st.one_of(
    st.text(max_size=80),
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["", "none", "0", "-1", "2010", "1.1", "in_progress", "2011-02-30", "9999-12-31", "'; --",
                     "<script>", "%00", "\x00", "１２", "gender", "MX", "-progress", "title,status", "99999999999",
                     "1e308", "NaN", "-0", "²", "3.3/b", "..", "1.1%00", "\ud7ff", "99999999999999999999999"]),
)

FORM_FIELDS = ["note", "status", "owner", "progress", "due_date", "evidence_url", "version"]
FILTERS = ["meeting", "session", "roundtable", "status", "owner", "theme", "responsible", "co_chair", "partner",
           "country", "due_after", "due_before", "overdue", "stale", "updated_since", "q", "sort", "page",
           "as_of", "year", "stage", "start", "end", "priority"]


@SETTINGS
@given(data=st.dictionaries(st.sampled_from(FORM_FIELDS), values))
def test_the_update_form_never_answers_with_a_server_error(client, editor, data):
    client.force_login(editor)
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 3)
    response = client.post(rec.get_update_url(), data)
    assert response.status_code in (302, 400, 403, 409), response.status_code


@SETTINGS
@given(params=st.dictionaries(st.sampled_from(FILTERS), st.lists(values, min_size=1, max_size=2)),
       page=st.sampled_from(["/recommendations/", "/reports/matrix/", "/projects/", "/reports/changes/",
                             "/recommendations/export.csv", "/actors/"]))
def test_report_filters_never_answer_with_a_server_error(client, viewer, params, page):
    client.force_login(viewer)
    response = client.get(page, params)
    if response.status_code == 302:  # empty or repeated parameters: once to the address without them
        response = client.get(response["Location"])
    assert response.status_code in (200, 400, 404), response.status_code
    if page.endswith(".csv") and response.status_code == 200:
        b"".join(response.streaming_content)  # the export is written to the end


# Every address with parameters: meeting year, session code, number, actor and project ids,
# and the admin's object ids. A segment may hold "/", NUL or anything else (it is quoted).
PATHS = ["/recommendations/{}/{}/{}/", "/recommendations/{}/{}/{}/update/", "/follow-up/{}/{}/{}/",
         "/follow-up/{}/{}/{}/update/", "/actors/{}/", "/projects/{}/", "/projects/{}/update/", "/meetings/{}/"]
ADMIN_MODELS = [m for m in apps.get_models() if admin.site.is_registered(m)]
ADMIN_PATHS = ["/admin/{}/{}/{}/change/", "/admin/{}/{}/{}/history/", "/admin/{}/{}/{}/history/{}/",
               "/admin/{}/{}/{}/delete/"]
# Fields that pick a record by search (autocomplete): (app, model, field) of the form they are in.
AUTOCOMPLETE = [("recommendations", "recommendation", "owner"), ("recommendations", "recommendation", "session"),
                ("partnerships", "project", "recommendations"), ("recommendations", "meeting", "chair_country"),
                ("recommendations", "sessionparticipant", "actor"), ("partnerships", "projectpartner", "project"),
                ("recommendations", "meetingcontribution", "actor")]
ANSWERS = (200, 301, 302, 400, 403, 404, 405)


@SETTINGS
@given(data=st.data(), method=st.sampled_from(["get", "post"]))
def test_path_segments_never_answer_with_a_server_error(client, administrator, data, method):
    client.force_login(administrator)
    template = data.draw(st.sampled_from(PATHS + ADMIN_PATHS))
    if template in ADMIN_PATHS:
        model = data.draw(st.sampled_from(ADMIN_MODELS))
        ids = [data.draw(values) for _ in range(template.count("{}") - 2)]
        segments = [model._meta.app_label, model._meta.model_name, *ids]
    else:
        segments = [data.draw(values) for _ in range(template.count("{}"))]
    url = template.format(*(quote(segment, safe="") for segment in segments))
    response = getattr(client, method if template in PATHS else "get")(url)
    assert response.status_code in ANSWERS, (url, response.status_code)


def changelist_parameters(model, user):
    """The query parameters of the model's changelist: each filter's, and the search, order,
    page and popup parameters."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = admin.site.get_model_admin(model).get_changelist_instance(request)
    return [p for spec in changelist.filter_specs for p in spec.expected_parameters()] + [
        "q", "o", "p", "e", "all", "_popup", "_to_field"]


@SETTINGS
@given(data=st.data())
def test_admin_changelist_parameters_never_answer_with_a_server_error(client, administrator, data):
    client.force_login(administrator)
    model = data.draw(st.sampled_from(ADMIN_MODELS))
    names = changelist_parameters(model, administrator)
    params = data.draw(st.dictionaries(st.sampled_from(names), values, min_size=1, max_size=3))
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    response = client.get(url, params)
    assert response.status_code in ANSWERS, (url, params, response.status_code)


@SETTINGS
@given(field=st.sampled_from(AUTOCOMPLETE), term=values, page=st.one_of(st.none(), values))
def test_admin_autocomplete_never_answers_with_a_server_error(client, administrator, field, term, page):
    client.force_login(administrator)
    app_label, model_name, field_name = field
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    if page is not None:
        params["page"] = page
    response = client.get("/admin/autocomplete/", params)
    assert response.status_code in (200, 400, 403, 404), (params, response.status_code)
