"""The Atom feeds of public changes: valid Atom, the public entries of published items only, newest first and at
most 50, each feed's subject (everything, an item, a session, an actor, a theme, a list's filters), and what an
entry says (its title, its summary escaped once, its authors: the responsible actors, never a user)."""

import datetime
import html
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from partnerships.models import Project
from recommendations import services
from recommendations.models import Actor, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
REPORT = (Path(settings.BASE_DIR) / "fixtures" / "gfmd2010" / "report.txt").read_text(encoding="utf-8").splitlines()
WORKSHOP = "/recommendations/2010/2.1/1/"  # 2.1/1, whose seeded status the report dates January 2011 (line 461)
HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"


def feed(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def text(element, name):
    found = element.find(ATOM + name)
    return None if found is None else found.text


def entries(root):
    """Each entry as {title, link, id, updated, author, summary (its HTML), note (the summary's text)}."""
    found = []
    for entry in root.findall(ATOM + "entry"):
        summary = text(entry, "summary") or ""
        found.append({
            "title": text(entry, "title"), "id": text(entry, "id"), "updated": text(entry, "updated"),
            "link": [link.get("href") for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"][0],
            "author": entry.find(f"{ATOM}author/{ATOM}name").text, "summary": summary,
            "note": html.unescape(re.sub(r"<[^>]+>", " ", summary)),
        })
    return found


def links(url):
    return {entry["link"].removeprefix("http://testserver") for entry in entries(feed(url))}


def workshop_line():
    """Line 461: the Dubai workshop the UAE and Switzerland co-organized, which the report dates January 2011."""
    line = REPORT[460]
    assert "workshop on the migrant recruitment industry in Dubai in January 2011" in line
    return line


def every_feed():
    mexico = Actor.objects.get(name="Mexico").pk
    handbook = Project.objects.get(title=HANDBOOK).pk
    return ["/feeds/changes.atom", f"{WORKSHOP}feed.atom", "/follow-up/2010/CSD/1/feed.atom",
            f"/projects/{handbook}/feed.atom", "/feeds/sessions/2010/2.1.atom", "/feeds/sessions/2010/PFP.atom",
            f"/actors/{mexico}/feed.atom", "/feeds/themes/labour-mobility.atom",
            "/recommendations/feed.atom?meeting=2010&session=2.1", "/follow-up/feed.atom",
            "/projects/feed.atom?status=in_progress"]


def test_every_feed_is_valid_atom_with_what_atom_requires():
    for url in every_feed():
        root = feed(url)
        assert root.tag == ATOM + "feed"
        assert text(root, "title").endswith(" · GFMD Tracker")
        assert text(root, "id") == f"http://testserver{url}"
        assert datetime.datetime.fromisoformat(text(root, "updated"))
        assert root.find(f"{ATOM}author/{ATOM}name").text == "GFMD Tracker"
        rels = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
        assert rels["self"] == f"http://testserver{url}" and rels["alternate"].startswith("http://testserver/")
        found = entries(root)
        assert found, url
        for entry in found:
            assert entry["title"] and entry["link"].startswith("http://testserver/") and entry["summary"]
            assert re.fullmatch(r"tag:testserver,\d{4}-\d\d-\d\d:(recommendation|followupitem|project)update/\d+",
                                entry["id"])
        assert len({entry["id"] for entry in found}) == len(found)
        times = [datetime.datetime.fromisoformat(entry["updated"]) for entry in found]
        assert times == sorted(times, reverse=True), url  # newest first


def test_the_workshop_entry_reads_as_the_report_dates_it():
    first = entries(feed(f"{WORKSHOP}feed.atom"))[0]
    assert first["title"] == "2.1/1 Engage recruitment agencies to protect contract workers — Not started → In progress"
    assert first["link"] == f"http://testserver{WORKSHOP}"
    assert first["updated"] == "2011-01-01T12:00:00+00:00"  # the month of line 461, on its first day
    sentence = re.search(r"The UAE and Switzerland co-organized [^.]*\.", workshop_line()).group(0).replace("*", "")
    assert sentence in first["note"] and "January 2011" in first["note"]
    assert first["author"] == "Switzerland, United Arab Emirates"  # the actors the line names, never a user


def test_an_entry_id_stays_the_same_and_names_the_entry():
    before = entries(feed(f"{WORKSHOP}feed.atom"))
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    item.record_update(by=None, note="A public note.", public=True)
    after = entries(feed(f"{WORKSHOP}feed.atom"))
    assert [entry["id"] for entry in after[1:]] == [entry["id"] for entry in before]
    newest = item.updates.order_by("-pk").first()
    assert after[0]["id"] == f"tag:testserver,{newest.created_at:%Y-%m-%d}:recommendationupdate/{newest.pk}"


def test_only_public_entries_of_published_items_are_in_a_feed(staff, editor):
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    item.record_update(by=editor, note="Internal: not for the public.")
    item.record_update(by=editor, note="Public: the workshop took place.", public=True)
    draft = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    draft.record_update(by=editor, note="Public note of an item unpublished since.", public=True)
    services.set_items_public([draft], public=False, by=editor)
    for url in ("/feeds/changes.atom", "/feeds/sessions/2010/2.1.atom", "/recommendations/feed.atom?session=2.1"):
        notes = [entry["note"] for entry in entries(feed(url))]
        assert any("Public: the workshop took place." in note for note in notes), url
        assert not any("Internal" in note or "unpublished since" in note for note in notes), url
        assert f"http://testserver{draft.get_absolute_url()}" not in {entry["link"] for entry in entries(feed(url))}
    assert Client().get(f"{draft.get_absolute_url()}feed.atom").status_code == 404


def test_an_owner_is_named_in_no_feed(staff):
    staff.first_name, staff.last_name = "Samira", "Stafford"
    staff.save()
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    item.record_update(by=staff, note="Took this item.", owner=staff, public=True)
    item.record_update(by=staff, note="Planned with the focal points.", status=Status.PLANNED, public=True)
    body = Client().get(f"{item.get_absolute_url()}feed.atom").content.decode()
    assert "Took this item." in body and "Planned with the focal points." in body
    assert not re.search("sam-staff|Samira|Stafford|Owner", body)
    titles = [entry["title"] for entry in entries(feed(f"{item.get_absolute_url()}feed.atom"))]
    assert titles[:2] == [f"2.1/2 {item.title} — Not started → Planned", f"2.1/2 {item.title}"]


def test_text_is_escaped_once_as_atom_reads_it(editor):
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    Recommendation.objects.filter(pk=item.pk).update(title='Fees & "costs" <b>bold</b>')
    item.record_update(by=editor, note='<script>alert("x")</script> & <img src=x onerror=alert(1)>', public=True)
    response = Client().get(f"{item.get_absolute_url()}feed.atom")
    assert b"<script" not in response.content and b"<img" not in response.content
    newest = entries(ElementTree.fromstring(response.content))[0]
    assert newest["title"] == '2.1/2 Fees & "costs" <b>bold</b>'  # Atom's title is text: what was typed
    # The summary is HTML (type="html"): the note escaped once in it, shown as typed by a feed reader.
    assert '<p class="note">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x ' \
           'onerror=alert(1)&gt;</p>' in newest["summary"]


def numbered_notes(url):
    return [int(re.search(r"Public note (\d+)\.", entry["note"]).group(1)) for entry in entries(feed(url))]


def test_a_feed_holds_the_newest_50_newest_first():
    item = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(60):
        item.record_update(by=None, note=f"Public note {n}.", public=True, at=start + datetime.timedelta(minutes=n))
    for url in (f"{item.get_absolute_url()}feed.atom", "/feeds/changes.atom", "/recommendations/feed.atom"):
        assert numbered_notes(url) == list(range(59, 9, -1)), url


def test_the_newest_50_of_as_many_items_of_two_kinds():
    # A recommendation's entry, a follow-up item's, in turn, then 20 recommendations': the newest 50 are of 35
    # recommendations and 15 follow-up items, each its newest entry.
    recommendations, follow_up = list(Recommendation.objects.order_by("pk")[:40]), FollowUpItem.objects.order_by("pk")
    items = [item for pair in zip(recommendations[:20], follow_up[:20], strict=True) for item in pair]
    start = timezone.now() - datetime.timedelta(days=1)
    for n, item in enumerate(items + recommendations[20:]):
        item.record_update(by=None, note=f"Public note {n}.", public=True, at=start + datetime.timedelta(minutes=n))
    assert numbered_notes("/feeds/changes.atom") == list(range(59, 9, -1))


def test_an_older_entry_published_later_takes_its_place_by_its_date(editor):
    item = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    old = item.record_update(by=editor, note="Written internal, published later.",
                             at=timezone.now() - datetime.timedelta(days=3))
    item.record_update(by=editor, note="Public since written.", public=True,
                       at=timezone.now() - datetime.timedelta(days=1))
    services.set_entries_public([old], public=True, by=editor)
    notes = [entry["note"] for entry in entries(feed("/feeds/changes.atom"))]
    assert "Public since written." in notes[0] and "Written internal, published later." in notes[1]


def test_a_list_feed_follows_the_lists_filters():
    # Session 2.1's eight recommendations (the report's "Outcomes and recommendations" of 2.1), each with a public
    # seeded entry; the list's own page lists the same items.
    found = links("/recommendations/feed.atom?meeting=2010&session=2.1")
    assert found == {f"/recommendations/2010/2.1/{n}/" for n in range(1, 9)}
    page = Client().get("/recommendations/?meeting=2010&session=2.1").content.decode()
    assert set(re.findall(r'href="(/recommendations/2010/[^"]+/\d+/)"', page)) == found
    themed = links("/recommendations/feed.atom?theme=labour-mobility&status=in_progress")
    assert f"{WORKSHOP}" in themed and all(url.startswith("/recommendations/") for url in themed)
    expected = {item.get_absolute_url() for item in Recommendation.objects.filter(
        themes__slug="labour-mobility", status=Status.IN_PROGRESS)}
    assert themed == expected


def test_a_list_feed_refuses_an_owner_filter_for_everybody(staff, viewer_client):
    """A feed is public: it cannot follow an owner's items, so it says so rather than answer everything."""
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    item.record_update(by=staff, note="Took this item.", owner=staff, public=True)
    for client, url in [(Client(), f"/recommendations/feed.atom?owner={staff.pk}"),
                        (viewer_client, f"/recommendations/feed.atom?owner={staff.username}&meeting=2010"),
                        (Client(), "/follow-up/feed.atom?owner=none"),
                        (Client(), f"/projects/feed.atom?owner={staff.pk}")]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/html") and b"<entry" not in response.content
        assert "Owner: a feed is public and cannot follow an owner" in response.content.decode()
        assert not response.has_header("ETag") and "public" not in response.get("Cache-Control", "")


SUBSCRIBE = re.compile(r'<a class="subscribe[^"]*" href="([^"]+)"')
ALTERNATE = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"')


def test_a_signed_in_lists_subscribe_links_leave_out_the_owner(staff, viewer_client):
    """The subscribe button and the page's alternate link of a list filtered by owner point at the public feed of
    the other filters, which answers them; the owner's name is in neither."""
    for path, feed_path in [("/recommendations/", "/recommendations/feed.atom"),
                            ("/follow-up/", "/follow-up/feed.atom"), ("/projects/", "/projects/feed.atom")]:
        page = viewer_client.get(f"{path}?owner={staff.username}&status=in_progress&sort=owner")
        assert page.status_code == 200, path
        body = page.content.decode()
        found = SUBSCRIBE.findall(body) + ALTERNATE.findall(body)
        # The <head> (the header's language switcher returns to this very address, its query included).
        assert len(found) == 2 and staff.username not in body.split("</head>")[0] + "".join(found), path
        assert {html.unescape(url) for url in found} == {f"{feed_path}?status=in_progress"}, path
        assert Client().get(f"{feed_path}?status=in_progress").status_code == 200


def test_a_list_feeds_text_search_is_the_publics(staff):
    """A word only in an internal note finds the item on the signed-in list, never in the feed; a word of a public
    note finds it in both."""
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    item.record_update(by=staff, note="Quokkas were consulted in private.", public=False)
    item.record_update(by=staff, note="Wombats were consulted in public.", public=True)
    client = Client()
    client.force_login(staff)
    assert item.get_absolute_url() in client.get("/recommendations/?q=quokkas").content.decode()
    assert links("/recommendations/feed.atom?q=quokkas") == set()
    assert links("/recommendations/feed.atom?q=wombats") == {item.get_absolute_url()}


def test_filters_a_feed_cannot_read_get_a_page_saying_which():
    response = Client().get("/recommendations/feed.atom?status=closed&due_after=tomorrow")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Status: Select a valid choice. closed is not one of the available choices." in body
    assert "Due on or after: Enter a valid date." in body
    assert 'href="/recommendations/?status=closed&amp;due_after=tomorrow"' in body
    assert not response.has_header("ETag") and "public" not in response.get("Cache-Control", "")


def test_a_sessions_feed_has_its_items_and_the_projects_presented_at_it():
    # The PfP working session's follow-up items, and the three kick-off projects presented at it.
    pfp = {item.get_absolute_url() for item in FollowUpItem.objects.filter(session__code="PFP")}
    assert links("/feeds/sessions/2010/PFP.atom") == pfp | {p.get_absolute_url() for p in Project.objects.all()}
    csd = links("/feeds/sessions/2010/CSD.atom")
    assert csd == {item.get_absolute_url() for item in FollowUpItem.objects.filter(session__code="CSD")}
    assert Client().get("/feeds/sessions/2010/9.9.atom").status_code == 404


def test_an_actors_feed_has_what_it_is_responsible_for_and_the_projects_it_is_a_partner_in():
    # The Netherlands supports the Handbook project and is responsible for nothing.
    netherlands = Actor.objects.get(name="Netherlands")
    handbook = Project.objects.get(title=HANDBOOK)
    assert links(f"/actors/{netherlands.pk}/feed.atom") == {handbook.get_absolute_url()}
    switzerland = Actor.objects.get(name="Switzerland")  # responsible for 2.1/1 (line 461) and more; a supporter
    responsible = {item.get_absolute_url() for items in (
        switzerland.responsible_for_recommendations, switzerland.responsible_for_followupitems) for item in items.all()}
    assert WORKSHOP in responsible
    assert links(f"/actors/{switzerland.pk}/feed.atom") == responsible | {handbook.get_absolute_url()}
    assert Client().get("/actors/999999/feed.atom").status_code == 404


def test_a_themes_feed_has_every_kind_of_item_of_the_theme():
    root = feed("/feeds/themes/labour-mobility.atom")
    assert text(root, "title") == "Theme: Labour mobility & recruitment costs · GFMD Tracker"
    expected = {item.get_absolute_url() for model in (Recommendation, FollowUpItem, Project)
                for item in model.objects.filter(themes__slug="labour-mobility")}
    assert {entry["link"].removeprefix("http://testserver") for entry in entries(root)} == expected
    assert Client().get("/feeds/themes/no-such-theme.atom").status_code == 404


def test_the_everything_feed_has_every_kind_newest_first():
    handbook = Project.objects.get(title=HANDBOOK)
    csd = FollowUpItem.objects.get_by_natural_key(2010, "CSD", 1)
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    start = timezone.now() - datetime.timedelta(hours=1)
    for minutes, item in enumerate((rec, handbook, csd)):  # the follow-up item's the newest
        item.record_update(by=None, note="Public news.", public=True, at=start + datetime.timedelta(minutes=minutes))
    found = entries(feed("/feeds/changes.atom"))
    assert [entry["link"].removeprefix("http://testserver") for entry in found[:4]] == [
        csd.get_absolute_url(), handbook.get_absolute_url(), rec.get_absolute_url(), WORKSHOP]
    assert [re.search(r":(\w+)update/", entry["id"]).group(1) for entry in found[:3]] == [
        "followupitem", "project", "recommendation"]
