"""The leak crawl: nothing internal reaches the public.

A marker ("zqx") is planted in every internal field: an owner's username, first and last name and
e-mail; internal notes (the latest entry of their items, so also the latest note) and an internal
evidence link; an unpublished recommendation's, follow-up item's and project's titles and texts (with a
public note, a past due date and a status change of their own, so that every report would count them),
and the sentences of lineage links between them and published items, both ways.
Then every page reachable from "/" without signing in is read, breadth-first, following the site's own
links (the exports and the Atom feeds among them) and a few addresses typed by hand (searches, a crafted owner
filter, the unpublished item's own address): the marker is on none. The crawl must reach every kind of page, so it
cannot pass by reading nothing; and the public note is there, where the public looks for it.
The API is walked
the same way from /api/v1/, following every address its answers hold (records, timelines, the next pages).
"""

import csv
import datetime
import html
import io
import json
import re
from collections import deque
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from gfmd_tracker.roles import EDITOR, STAFF
from partnerships.models import Project, ProjectPartner
from recommendations import services
from recommendations.models import Actor, FollowUpItem, Lineage, Recommendation, Session, Status, Theme

pytestmark = pytest.mark.django_db

MARK = "zqx"  # in every internal value below, whatever its case
PUBLIC_NOTE = "Published: the Dubai workshop report is online."
PUBLIC_EVIDENCE = "https://example.org/public-report"
MAX_PAGES = 700
QUERIES_PER_PATH = 6  # of one list, a few of its filtered, sorted and paged addresses


@pytest.fixture
def planted(settings):
    settings.ANON_EXPORT_RATE = "10000/m"  # the crawl downloads every export it finds
    owner = get_user_model().objects.create_user(
        username="zqx-owner", first_name="Zqxfirst", last_name="Zqxlast", email="owner@zqx.example.org",
        password="pw")
    owner.groups.add(Group.objects.get(name=STAFF))
    editor = get_user_model().objects.create_user(username="zqx-editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    follow_up = FollowUpItem.objects.get_by_natural_key(2010, "CSD", 1)
    project = Project.objects.get(title__startswith="Handbook")
    for item in (rec, follow_up, project):
        item.record_update(by=owner, note="Took this item.", owner=owner, public=True)  # a public owner change
        item.record_update(by=owner, note=PUBLIC_NOTE, evidence_url=PUBLIC_EVIDENCE, public=True,
                           status=Status.IN_PROGRESS if item.status != Status.IN_PROGRESS else Status.ONGOING)
        item.record_update(by=owner, note="Zqx internal: quokkas met the minister.",
                           evidence_url="https://example.org/zqx-evidence", progress=35)
    drafts = unpublished_items(editor)
    linked(rec, drafts["draft"], drafts["draft_project"])
    actions = planted_actions(owner, editor, rec, drafts["draft"])
    slipped(owner, editor, [rec, follow_up, project, actions["action"]], [actions["hidden_action"], drafts["draft"]])
    return {"owner": owner, "rec": rec, "follow_up": follow_up, "project": project, **drafts, **actions}


PUBLIC_ACTION_NOTE = "Published: the workshop's venue is booked."


def planted_actions(owner, editor, rec, draft):
    """A published action of 2.1/1 owned by the marked owner, with a public entry and an internal one (its latest);
    an unpublished action of 2.1/1; a published action of the unpublished draft."""
    action = services.add_action(rec, by=owner, title="Workshop in Dubai", note="Zqx internal: agreed in the bar.")
    action.record_update(by=owner, note=PUBLIC_ACTION_NOTE, status=Status.IN_PROGRESS, progress=20, public=True)
    action.record_update(by=owner, note="Zqx internal: the venue is a quokka farm.",
                         evidence_url="https://example.org/zqx-action-evidence", progress=25)
    hidden = services.add_action(rec, by=owner, title="Zqx unpublished action", description="Zqx about wombats.")
    hidden.record_update(by=owner, note="Zqx published entry of an unpublished action.", progress=5, public=True)
    services.set_items_public([hidden], public=False, by=editor)
    under_draft = services.add_action(draft, by=editor, title="Zqx action of a draft")
    under_draft.record_update(by=editor, note="Zqx published entry under a draft.", progress=5, public=True)
    return {"action": action, "hidden_action": hidden, "draft_action": under_draft}


def slipped(owner, editor, published, hidden):
    """Due dates moved later with marked reasons: internally on published items and a published action; publicly on
    the unpublished action and the draft (the Slipped report and its downloads must count none of them)."""
    for item in published:
        item.refresh_from_db()
        item.record_update(by=owner, note="Due date set.", due_date=datetime.date(2030, 1, 1), due_date_reason="Set.")
        item.record_update(by=owner, note="Zqx moved.", due_date=datetime.date(2031, 1, 1),
                           due_date_reason="Zqx internal: the wombats ate the budget.")
    for item in hidden:
        item.refresh_from_db()
        item.record_update(by=editor, note="Zqx due date set.", due_date=datetime.date(2030, 1, 1), public=True,
                           due_date_reason="Zqx first.")
        item.record_update(by=editor, note="Zqx moved in public.", due_date=datetime.date(2031, 1, 1), public=True,
                           due_date_reason="Zqx public reason of a hidden item.")


def unpublished_items(editor):
    session = Session.objects.get(meeting__year=2010, code="2.1")
    mexico = Actor.objects.get(name="Mexico")
    theme = Theme.objects.get(slug="labour-mobility")  # 2.1/1's: the theme's feed must leave the drafts out
    rec = Recommendation.objects.create(session=session, number=99, title="Zqx draft title",
                                        text="Zqx draft text about wombats.", due_date=datetime.date(2011, 1, 1))
    Recommendation.objects.filter(pk=rec.pk).renumber()
    follow_up = FollowUpItem.objects.create(session=Session.objects.get(meeting__year=2010, code="CSD"),
                                            number=99, title="Zqx draft call", text="Zqx draft wombat call.")
    project = Project.objects.create(title="Zqx draft project", description="Zqx draft wombat project.")
    ProjectPartner.objects.create(project=project, actor=mexico, role=ProjectPartner.Role.SUPPORTER)
    Project.objects.get(title__startswith="Handbook").recommendations.add(rec)
    for item in (rec, follow_up, project):
        item.responsible_actors.add(mexico)
        item.themes.add(theme)
        item.start_timeline(note="Zqx created as a draft.", by=editor, public=True)
        item.record_update(by=editor, note="Zqx draft planned.", status=Status.PLANNED, public=True)
        services.set_items_public([item], public=False, by=editor)
    return {"draft": rec, "draft_follow_up": follow_up, "draft_project": project}


def linked(rec, draft, draft_project):
    """Lineage between published and unpublished items, each way: a published recommendation builds on the
    draft, the draft project originates from the published one."""
    def link(kind, item, target, line):
        types = ContentType.objects.get_for_model(item), ContentType.objects.get_for_model(target)
        Lineage.objects.create(kind=kind, item_type=types[0], item_id=item.pk, target_type=types[1],
                               target_id=target.pk, sentence=f"Zqx lineage sentence {line}.", line=line)
    link(Lineage.Kind.BUILDS_ON, rec, draft, 1)
    link(Lineage.Kind.ORIGINATES_FROM, draft_project, rec, 2)


def body_of(response):
    """A page's or a download's text (an Excel file: every cell of every sheet)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return content.decode()


def links(text):
    return [html.unescape(href) for href in re.findall(r'href="(/[^"/][^"]*|/)"', text)]


def followed(url):
    path = urlsplit(url).path
    return not path.startswith(("/static/", "/admin/", "/accounts/", "/favicon"))


TYPED = [
    "/search/?q=quokkas", "/search/?q=wombats", "/search/?q=2.1/99", "/search/?q=CSD/99", "/search/?q=draft",
    "/recommendations/?q=quokkas", "/recommendations/?q=wombats", "/recommendations/?sort=owner",
    "/recommendations/export.csv?q=wombats", "/recommendations/export.csv", "/follow-up/export.csv",
    "/projects/export.csv", "/projects/export.xlsx", "/reports/matrix/?as_of=2099-01-01",
    "/reports/changes/?start=2000-01-01&end=2099-01-01",
    "/recommendations/names/responsible/?q=M", "/projects/names/partner/?q=M",
    "/recommendations/?lineage=builds_on", "/recommendations/?lineage=implemented", "/projects/?lineage=any",
    "/recommendations/feed.atom?q=wombats", "/recommendations/feed.atom?q=quokkas", "/feeds/sessions/2010/CSD.atom",
    "/actions/?q=wombats", "/actions/export.csv?q=wombats", "/actions/?sort=owner", "/reports/slipped/?q=wombats",
    "/reports/slipped/actions/export.csv", "/reports/slipped/actions/export.xlsx", "/actors/export.csv",
    "/actors/export.xlsx",
]


def crawl(client, typed):
    """Every page reachable from "/" and the typed addresses: {address: text}, and the answers' codes."""
    queue, seen, pages, codes, per_path = deque(["/", *TYPED, *typed]), set(), {}, {}, {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or not followed(url) or (url != path and per_path.get(path, 0) >= QUERIES_PER_PATH):
            continue
        seen.add(url)
        per_path[path] = per_path.get(path, 0) + (url != path)
        response = client.get(url)
        codes[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        pages[url] = body_of(response)
        queue.extend(links(pages[url]))
    return pages, codes


def test_no_internal_value_reaches_any_public_page_or_download(client, planted):
    owner = planted["owner"].pk  # by id: an address holding the marker would only echo it
    hidden = [planted["hidden_action"].get_absolute_url(), planted["draft_action"].get_absolute_url()]
    pages, codes = crawl(client, [f"/recommendations/?owner={owner}", f"/recommendations/export.xlsx?owner={owner}",
                                  f"/projects/?owner={owner}&sort=-owner", f"/recommendations/feed.atom?owner={owner}",
                                  f"/actions/?owner={owner}", f"/actions/export.xlsx?owner={owner}", *hidden])

    leaks = {url: re.findall(rf".{{0,40}}{MARK}.{{0,40}}", text, re.I | re.S)[:2]
             for url, text in pages.items() if MARK in text.lower()}
    assert not leaks
    # A feed cannot follow an owner's items: it says so; the unpublished action and the draft's are no page.
    refused = {f"/recommendations/feed.atom?owner={owner}", *hidden}
    assert {url for url, code in codes.items() if code not in (200, 301, 302)} == refused, codes
    # Not vacuous: every kind of public page and download was read.
    rec, follow_up, project = planted["rec"], planted["follow_up"], planted["project"]
    mexico = Actor.objects.get(name="Mexico").pk
    feeds = {"/feeds/", "/feeds/changes.atom", "/recommendations/feed.atom", "/follow-up/feed.atom",
             "/projects/feed.atom", f"{rec.get_absolute_url()}feed.atom", f"{follow_up.get_absolute_url()}feed.atom",
             f"/projects/{project.pk}/feed.atom", "/feeds/sessions/2010/2.1.atom", f"/actors/{mexico}/feed.atom",
             "/feeds/themes/labour-mobility.atom"}
    must = feeds | {
        "/", "/recommendations/", "/follow-up/", "/projects/", "/reports/matrix/", "/reports/changes/",
        "/actors/", "/meetings/", "/meetings/2010/", "/recommendations/export.csv", "/recommendations/export.xlsx",
        "/follow-up/export.csv", "/follow-up/export.xlsx", "/projects/export.csv", "/projects/export.xlsx",
        rec.get_absolute_url(), follow_up.get_absolute_url(), project.get_absolute_url(),
        f"/actors/{mexico}/", "/search/?q=wombats", planted["action"].get_absolute_url(), "/actions/",
        "/actions/export.csv", "/actions/export.xlsx", "/reports/slipped/", "/reports/slipped/follow-up/",
        "/reports/slipped/actions/", "/reports/slipped/recommendations/export.csv", "/actors/export.csv"}
    read = {urlsplit(url).path for url in pages} | set(pages)
    assert must <= read, must - read
    assert len(pages) >= 500
    assert sum(urlsplit(url).path.endswith(".atom") for url in pages) >= 250  # every item's, actor's, session's…
    assert len([url for url in pages if re.fullmatch(r"/recommendations/2010/[\d.]+/\d+/", url)]) == 45


API_TYPED = [
    "/api/schema/", "/api/docs/", "/api/v1/recommendations/?q=quokkas", "/api/v1/recommendations/?q=wombats",
    "/api/v1/recommendations/2010/2.1/99/", "/api/v1/recommendations/2010/2.1/99/updates/",
    "/api/v1/follow-up-items/2010/CSD/99/", "/api/v1/recommendations/?lineage=builds_on",
    "/api/v1/recommendations/?as_of=2099-01-01&session=2.1", "/api/v1/partners/?actor=Mexico",
    "/api/v1/lineage/?kind=originates_from", "/api/v1/projects/?lineage=any",
]
# The unpublished action of 2.1/1 and the draft's action, and their timelines: 404 to the public.
HIDDEN_ACTIONS = ["/api/v1/actions/2010/2.1/1/a2/", "/api/v1/actions/2010/2.1/1/a2/updates/",
                  "/api/v1/actions/2010/2.1/99/a1/", "/api/v1/actions/2010/2.1/99/a1/updates/"]
API_PAGE = 5  # small pages, so that the crawl follows the cursors too


def api_links(text):
    """Every address of this API in a JSON answer (records, timelines, the next and previous pages)."""
    try:
        found = re.findall(r'"(http://testserver/api/[^"]*)"', json.dumps(json.loads(text)))
    except ValueError:
        return []
    return [url.removeprefix("http://testserver") for url in found]


def crawl_api(client, typed):
    queue, seen, pages, codes = deque(["/api/v1/", *API_TYPED, *typed]), set(), {}, {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url if "?" in url else f"{url}?page_size={API_PAGE}")
        codes[url] = response.status_code
        pages[url] = response.content.decode()
        queue.extend(api_links(pages[url]))
    return pages, codes


def test_no_internal_value_reaches_any_api_answer(client, planted, settings):
    settings.ANON_API_RATE = "10000/m"
    drafts = [planted[name] for name in ("draft", "draft_follow_up", "draft_project")]
    owner = planted["owner"].username
    pages, codes = crawl_api(client, [f"/api/v1/recommendations/?owner={owner}", f"/api/v1/actions/?owner={owner}",
                                      f"/api/v1/projects/{planted['draft_project'].pk}/",
                                      f"/api/v1/projects/{planted['draft_project'].pk}/updates/",
                                      *HIDDEN_ACTIONS])

    leaks = {url: re.findall(rf".{{0,40}}{MARK}.{{0,40}}", text, re.I | re.S)[:2]
             for url, text in pages.items() if MARK in text.lower()}
    assert not leaks
    drafts_urls = {"/api/v1/recommendations/2010/2.1/99/", "/api/v1/follow-up-items/2010/CSD/99/",
                   f"/api/v1/projects/{drafts[2].pk}/", *HIDDEN_ACTIONS}
    assert {codes[url] for url in drafts_urls} == {404}
    assert {code for url, code in codes.items() if url not in drafts_urls and "/99/" not in url and "/a2/" not in url
            and f"/{drafts[2].pk}/" not in url} == {200}
    # Not vacuous: every resource, the planted items and their timelines, and next pages were read.
    rec, follow_up, project = planted["rec"], planted["follow_up"], planted["project"]
    must = {"/api/v1/meetings/", "/api/v1/sessions/", "/api/v1/actors/", "/api/v1/themes/", "/api/v1/partners/",
            "/api/v1/lineage/", "/api/v1/recommendations/", "/api/v1/follow-up-items/", "/api/v1/projects/",
            "/api/v1/meetings/2010/", "/api/v1/sessions/2010/2.1/", "/api/v1/actors/Mexico/",
            "/api/v1/recommendations/2010/2.1/1/", "/api/v1/recommendations/2010/2.1/1/updates/",
            "/api/v1/follow-up-items/2010/CSD/1/updates/", f"/api/v1/projects/{project.pk}/updates/",
            "/api/v1/actions/", "/api/v1/actions/2010/2.1/1/a1/", "/api/v1/actions/2010/2.1/1/a1/updates/"}
    assert must <= set(pages), must - set(pages)
    assert len([url for url in pages if "cursor=" in url]) >= 20
    assert PUBLIC_NOTE in pages["/api/v1/recommendations/2010/2.1/1/updates/"]
    assert PUBLIC_ACTION_NOTE in pages["/api/v1/actions/2010/2.1/1/a1/updates/"]
    assert PUBLIC_ACTION_NOTE in pages["/api/v1/actions/2010/2.1/1/a1/"]  # its latest public note
    assert rec.pk and follow_up.pk and len(pages) >= 300


def test_the_public_note_and_its_evidence_are_public(client, planted):
    page = client.get(planted["rec"].get_absolute_url()).content.decode()
    assert PUBLIC_NOTE in page and f'href="{PUBLIC_EVIDENCE}"' in page
    assert "Took this item." in page  # published, without the owner it names
    rows = body_of(client.get("/recommendations/export.csv?session=2.1&meeting=2010"))
    assert "last_public_update,last_public_note" in rows.splitlines()[0].lstrip("\ufeff")
    assert PUBLIC_NOTE in rows
    for feed in ("/feeds/changes.atom", f"{planted['rec'].get_absolute_url()}feed.atom"):
        entries = body_of(client.get(feed))
        assert PUBLIC_NOTE in entries and "Took this item." in entries and PUBLIC_EVIDENCE in entries


def test_the_unpublished_item_is_no_page_for_the_public(client, planted):
    for item in (planted["draft"], planted["draft_follow_up"], planted["draft_project"]):
        assert client.get(item.get_absolute_url()).status_code == 404
        assert client.get(f"{item.get_absolute_url()}feed.atom").status_code == 404


def test_an_internal_note_makes_no_item_found_by_the_public(client, planted):
    body = client.get("/recommendations/?q=quokkas").content.decode()
    assert "No items match these filters." in body
    found = client.get("/search/?q=quokkas").content.decode()
    assert "Recommendations <span class=\"count\">(0)</span>" in found



def test_the_public_slipped_report_lists_a_published_move_without_its_internal_reason(client, planted):
    rows = list(csv.reader(io.StringIO(body_of(client.get("/reports/slipped/recommendations/export.csv")))))
    [row] = [row for row in rows if row[:3] == ["2010", "2.1", "1"]]
    assert row[:7] == ["2010", "2.1", "1", planted["rec"].title, "Ongoing", "2031-01-01", "1"]
    assert MARK not in ",".join(row).lower()
    actions = list(csv.reader(io.StringIO(body_of(client.get("/reports/slipped/actions/export.csv")))))
    assert [row[1:3] for row in actions[1:]] == [["2010/2.1/1", "a1"]]  # not the hidden ones


def test_the_public_roll_up_counts_no_unpublished_action(client, planted):
    page = client.get(planted["rec"].get_absolute_url()).content.decode()
    assert '<h2 id="actions-heading">Actions <span class="count">(1)</span></h2>' in page
    [rollup] = re.findall(r'<span class="rollup">([^<]*)</span>', page)
    assert rollup == "1 of 1 action reported · 25% over the reported one"
