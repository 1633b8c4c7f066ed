"""The Slipped report (/reports/slipped/): the items and actions whose due date moved later, how many times, by how
many days in all, the reasons latest first; filtered, sorted, exported; the public reads the published reasons."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Actor, Recommendation, Theme

pytestmark = pytest.mark.django_db

REPORT = reverse("recommendations:slipped")
MARCH, APRIL, JUNE, SEPTEMBER = (datetime.date(2027, 3, 31), datetime.date(2027, 4, 30), datetime.date(2027, 6, 30),
                                 datetime.date(2027, 9, 30))
FEBRUARY = datetime.date(2027, 2, 28)


def on(day):
    return timezone.make_aware(datetime.datetime(2026, *day, 10))


def rec(code, number):
    return Recommendation.objects.get_by_natural_key(2010, code, number)


@pytest.fixture
def moved(editor, staff):
    """1.1/6 (owned by staff): March → June (+91 days, "The workshop moved.", published) → September (+92,
    "Funding is late.", internal): twice, 183 days. 1.1/7 (IOM responsible): March → April (+30, "Elections.",
    published) → back to March (earlier: no slip): once, 30 days. 2.1/3: March → February (earlier): not slipped.
    Action a1 under 1.1/6: March → June (+91, "The agency closed.", published)."""
    a, b, c = rec("1.1", 6), rec("1.1", 7), rec("2.1", 3)
    a.record_update(by=editor, note="Dated.", due_date=MARCH, owner=staff, at=on((1, 5)))
    a.record_update(by=editor, note="Later.", due_date=JUNE, due_date_reason="The workshop moved.", public=True,
                    at=on((2, 5)))
    a.record_update(by=editor, note="Later again.", due_date=SEPTEMBER, due_date_reason="Funding is late.",
                    at=on((3, 5)))
    b.record_update(by=editor, note="Dated.", due_date=MARCH, at=on((1, 6)))
    b.record_update(by=editor, note="Later.", due_date=APRIL, due_date_reason="Elections.", public=True, at=on((2, 6)))
    b.record_update(by=editor, note="Sooner.", due_date=MARCH, due_date_reason="Elections moved.", at=on((3, 6)))
    iom = Actor.objects.order_by("pk").first()
    b.responsible_actors.set([iom])
    c.record_update(by=editor, note="Dated.", due_date=MARCH, at=on((1, 7)))
    c.record_update(by=editor, note="Sooner.", due_date=FEBRUARY, due_date_reason="Funds came early.", at=on((2, 7)))
    action = services.add_action(a, by=editor, title="Hire a trainer", due_date=MARCH)
    action.record_update(by=editor, note="Later.", due_date=JUNE, due_date_reason="The agency closed.", public=True,
                         at=on((4, 1)))
    return {"a": a, "b": b, "iom": iom, "action": action}


def rows(client, url=REPORT, **filters):
    page = client.get(url, filters).context["page"]
    return [(f"{item.session.code}/{item.number}", item.slips, item.days_slipped,
             [move.due_date_reason for move in item.moves]) for item in page]


def test_it_lists_the_items_moved_later_with_times_days_and_reasons_latest_first(viewer_client, moved):
    assert rows(viewer_client) == [
        ("1.1/6", 2, 183, ["Funding is late.", "The workshop moved."]),
        ("1.1/7", 1, 30, ["Elections."]),
    ]


def test_the_public_reads_the_published_reasons_only(client, moved):
    assert rows(client) == [("1.1/6", 2, 183, ["The workshop moved."]), ("1.1/7", 1, 30, ["Elections."])]
    body = " ".join(client.get(REPORT).content.decode().split())
    assert "Funding is late." not in body
    assert "1 move with its reason not published." in body


@pytest.mark.parametrize(("sort", "expected"), [("times", ["1.1/7", "1.1/6"]), ("-times", ["1.1/6", "1.1/7"]),
                                                ("days", ["1.1/7", "1.1/6"]), ("-days", ["1.1/6", "1.1/7"])])
def test_it_sorts_by_times_and_by_days(viewer_client, moved, sort, expected):
    assert [row[0] for row in rows(viewer_client, sort=sort)] == expected


@pytest.mark.parametrize(("filters", "expected"), [
    ({"session": "1.1"}, ["1.1/6", "1.1/7"]), ({"session": "2.1"}, []), ({"meeting": "2010"}, ["1.1/6", "1.1/7"]),
    ({"owner": "sam-staff"}, ["1.1/6"]),
])
def test_it_filters_like_the_lists(viewer_client, moved, filters, expected):
    assert [row[0] for row in rows(viewer_client, **filters)] == expected


def test_it_filters_by_responsible_actor_and_theme(viewer_client, moved):
    assert [row[0] for row in rows(viewer_client, responsible=moved["iom"].name)] == ["1.1/7"]
    theme = Theme.objects.order_by("name").first()
    moved["a"].themes.set([theme])
    moved["b"].themes.clear()
    assert [row[0] for row in rows(viewer_client, theme=theme.slug)] == ["1.1/6"]


def test_the_public_cannot_filter_by_owner(client, moved):
    assert [row[0] for row in rows(client, owner="sam-staff")] == ["1.1/6", "1.1/7"]


def test_the_actions_whose_due_date_slipped(viewer_client, moved):
    page = viewer_client.get(reverse("recommendations:slipped_kind", args=["actions"])).context["page"]
    assert [(a.title, a.slips, a.days_slipped, [m.due_date_reason for m in a.moves]) for a in page] == [
        ("Hire a trainer", 1, 91, ["The agency closed."])]
    body = " ".join(viewer_client.get(reverse("recommendations:slipped_kind", args=["actions"])).content.decode()
                    .split())
    assert "<li>1 Apr 2026, 10:00: 91 days later, to 30 Jun 2027 — The agency closed.</li>" in body


def test_an_unknown_kind_is_a_clear_404(viewer_client):
    response = viewer_client.get(reverse("recommendations:slipped_kind", args=["projects"]))
    assert response.status_code == 404


def test_the_csv_export(viewer_client, moved):
    response = viewer_client.get(reverse("recommendations:slipped_export", args=["recommendations", "csv"]))
    found = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert found[0] == ["meeting", "session", "number", "title", "status", "owner", "due_date", "times_moved_later",
                        "days_later_in_all", "reasons"]
    assert [row[:3] + row[5:] for row in found[1:]] == [
        ["2010", "1.1", "6", "sam-staff", "2027-09-30", "2", "183",
         "2026-03-05: 92 days later, to 2027-09-30: Funding is late.; "
         "2026-02-05: 91 days later, to 2027-06-30: The workshop moved."],
        ["2010", "1.1", "7", "", "2027-03-31", "1", "30", "2026-02-06: 30 days later, to 2027-04-30: Elections."],
    ]


def test_the_publics_csv_has_the_published_reasons_and_no_owner(client, moved):
    response = client.get(reverse("recommendations:slipped_export", args=["recommendations", "csv"]))
    found = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "owner" not in found[0]
    assert [row[-3:] for row in found[1:]] == [
        ["2", "183", "2026-02-05: 91 days later, to 2027-06-30: The workshop moved."],
        ["1", "30", "2026-02-06: 30 days later, to 2027-04-30: Elections."],
    ]


def test_the_xlsx_export_of_actions(viewer_client, moved):
    response = viewer_client.get(reverse("recommendations:slipped_export", args=["actions", "xlsx"]))
    headers, *found = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    assert headers == ("Meeting", "Item", "Action", "Title", "Status", "Owner", "Due date", "Times moved later",
                       "Days later in all", "Reasons")
    assert found == [("2010", "2010/1.1/6", "a1", "Hire a trainer", "Not started", "eda-editor", "2027-06-30", "1",
                      "91", "2026-04-01: 91 days later, to 2027-06-30: The agency closed.")]


def test_the_report_keeps_its_query_count(viewer_client, client, moved, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):  # 14, and the header's bell (unread notifications)
        viewer_client.get(REPORT)
    with django_assert_max_num_queries(21):
        viewer_client.get(reverse("recommendations:slipped_kind", args=["actions"]))
    client.logout()
    with django_assert_max_num_queries(10):
        client.get(REPORT)


INTRO_EN = ("whose due date was moved later: how many times, by how many days in all, and the reasons given, latest "
            "first. A due date already set moves only with its reason.")
INTRO_FR = ("dont l’échéance a été repoussée\u00a0: combien de fois, de combien de jours au total, et les motifs "
            "indiqués, le plus récent d’abord. Une échéance déjà fixée ne change que si un motif est indiqué.")
INTRO_ES = ("cuya fecha límite se ha aplazado: cuántas veces, cuántos días en total y los motivos indicados, del más "
            "reciente al más antiguo. Una fecha límite ya fijada solo cambia si se indica el motivo.")


@pytest.mark.parametrize(("language", "kind", "intro", "empty"), [
    ("en", "recommendations", f"The recommendations {INTRO_EN}", "No due date of these recommendations moved later."),
    ("en", "follow-up", f"The follow-up items {INTRO_EN}", "No due date of these follow-up items moved later."),
    ("en", "actions", f"The actions {INTRO_EN}", "No due date of these actions moved later."),
    ("fr", "recommendations", f"Les recommandations {INTRO_FR}",
     "Aucune échéance de ces recommandations n’a été repoussée."),
    ("fr", "follow-up", f"Les éléments de suivi {INTRO_FR}",
     "Aucune échéance de ces éléments de suivi n’a été repoussée."),
    ("fr", "actions", f"Les actions {INTRO_FR}", "Aucune échéance de ces actions n’a été repoussée."),
    ("es", "recommendations", f"Las recomendaciones {INTRO_ES}",
     "No se ha aplazado ninguna fecha límite de estas recomendaciones."),
    ("es", "follow-up", f"Los elementos de seguimiento {INTRO_ES}",
     "No se ha aplazado ninguna fecha límite de estos elementos de seguimiento."),
    ("es", "actions", f"Las acciones {INTRO_ES}", "No se ha aplazado ninguna fecha límite de estas acciones."),
])
def test_each_kind_has_its_own_sentences_in_each_language(viewer_client, moved, language, kind, intro, empty):
    """Whole sentences per kind, not a label given to one sentence: "las recomendaciones", "los elementos"."""
    viewer_client.cookies["django_language"] = language
    url = reverse("recommendations:slipped_kind", args=[kind])

    def read(**filters):  # the page's text on one line, its no-break spaces kept (str.split() would take them)
        return re.sub(r"[ \t\n]+", " ", viewer_client.get(url, filters).content.decode())

    assert f"<p>{intro}</p>" in read()
    assert f'<td colspan="6">{empty}</td>' in read(session="2.1")
