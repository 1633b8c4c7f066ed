"""The language of a page (README, "Languages"): the signed-in person's profile, then the header's switcher (a
cookie), then the browser's Accept-Language; English by default. Dates and percentages per language; what is
cached is kept per language. The expected French and Spanish are the catalogues' (gfmd_tracker/locale) and
Django's own locale data, read there: French months abbreviated "nov." (context "abbrev. month"), Spanish "nov"
(the three-letter month), a Spanish month "noviembre de 2010" (YEAR_MONTH_FORMAT `F \\d\\e Y`)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from gfmd_tracker.models import Profile
from gfmd_tracker.templatetags.tracker import percent
from recommendations.dates import shown

pytestmark = pytest.mark.django_db

SWITCH = "/i18n/setlang/"
SKIP = {"en": '<a class="skip" href="#main">Skip to content</a>',
        "fr": '<a class="skip" href="#main">Aller au contenu</a>',
        "es": '<a class="skip" href="#main">Ir al contenido</a>'}
ITEM = "/recommendations/2010/2.1/3/"


def language_of(response):
    """The page's language as it says it (<html lang>), checked against a string of base.html in it."""
    body = response.content.decode()
    said = body.split('<html lang="', 1)[1].split('"', 1)[0]
    assert SKIP[said] in body
    return said


def test_english_is_the_default(client):
    response = client.get("/")
    assert (language_of(response), response["Content-Language"]) == ("en", "en")


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_switcher_changes_the_language_of_the_pages(client, language):
    response = client.post(SWITCH, {"language": language, "next": "/recommendations/?session=2.1"})

    assert (response.status_code, response["Location"]) == (302, "/recommendations/?session=2.1")
    assert language_of(client.get("/")) == language


def test_the_switcher_names_each_language_in_its_own_language_and_returns_to_the_page(client):
    body = client.get("/recommendations/?session=2.1").content.decode()
    assert ('<input type="hidden" name="next" value="/recommendations/?session=2.1">'
            '\n      <button type="submit" class="link" name="language" value="en" lang="en" aria-current="true">'
            'English</button><button type="submit" class="link" name="language" value="fr" lang="fr">Français'
            '</button><button type="submit" class="link" name="language" value="es" lang="es">Español</button>') in body


@pytest.mark.parametrize(("header", "language"), [("es-MX,es;q=0.9,en;q=0.5", "es"), ("fr-CH, fr;q=0.9", "fr"),
                                                  ("de-DE,de;q=0.9", "en")])
def test_the_public_gets_the_language_of_its_browser(client, header, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert language_of(response) == language
    assert "Accept-Language" in response["Vary"]


def test_the_switchers_choice_wins_over_the_browser(client):
    client.post(SWITCH, {"language": "es", "next": "/"})
    assert language_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "es"


def test_the_profiles_language_wins_and_persists_across_logins(client, staff):
    client.force_login(staff)
    client.post("/accounts/profile/", {"first_name": "", "last_name": "", "email": "", "language": "es"})
    assert Profile.objects.get(user=staff).language == "es"

    client.logout()
    client.cookies.clear()
    client.force_login(staff)
    client.cookies["django_language"] = "fr"
    assert language_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "es"


def test_the_profile_says_its_language_was_saved_in_that_language(client, staff):
    client.force_login(staff)
    response = client.post("/accounts/profile/", {"first_name": "", "last_name": "", "email": "", "language": "fr"},
                           follow=True)
    assert '<li class="message success">Votre profil est enregistré.</li>' in response.content.decode()


def test_switching_while_signed_in_saves_the_language_on_the_profile(client, staff):
    client.force_login(staff)
    client.post(SWITCH, {"language": "fr", "next": "/"})
    assert Profile.objects.get(user=staff).language == "fr"

    other = Client()  # another browser: its Accept-Language is Spanish, the profile says French
    other.force_login(staff)
    assert language_of(other.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "fr"


def test_a_blank_profile_language_follows_the_browser_and_forgets_the_switchers(client, staff):
    Profile.objects.create(user=staff, language="fr")
    client.force_login(staff)
    client.post(SWITCH, {"language": "fr", "next": "/"})
    response = client.post("/accounts/profile/", {"first_name": "", "last_name": "", "email": "", "language": ""})

    assert Profile.objects.get(user=staff).language == ""
    assert response.cookies["django_language"].value == "" and response.cookies["django_language"]["max-age"] == 0
    assert language_of(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "es"


def test_the_profiles_language_costs_a_page_no_query(client, staff):
    Profile.objects.create(user=staff, language="es")
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        assert language_of(client.get("/my-items/")) == "es"
    assert not [query for query in queries if "gfmd_tracker_profile" in query["sql"]]


@pytest.mark.parametrize("code", ["de", "xx", "", "fr-XX-nonsense"])
def test_a_language_the_site_does_not_offer_changes_nothing(client, code):
    client.post(SWITCH, {"language": "es", "next": "/"})
    response = client.post(SWITCH, {"language": code, "next": "/projects/"})

    assert (response.status_code, response["Location"]) == (302, "/projects/")
    assert "django_language" not in response.cookies
    assert language_of(client.get("/")) == "es"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"])
def test_a_next_address_off_the_site_is_refused(client, next_url):
    response = client.post(SWITCH, {"language": "fr", "next": next_url})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_signed_in_switch_needs_the_csrf_token_and_the_publics_does_not(staff):
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(SWITCH, {"language": "fr", "next": "/"}).status_code == 302

    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(staff)
    assert signed_in.post(SWITCH, {"language": "fr", "next": "/"}).status_code == 403
    assert not Profile.objects.filter(user=staff, language="fr").exists()


def test_the_switcher_only_answers_a_post(client):
    assert client.get(SWITCH, {"language": "fr", "next": "/"}).status_code == 405


# --- dates and figures per language


@pytest.mark.parametrize(("language", "day", "month", "moment"), [
    ("en", "11 Nov 2010", "November 2010", "11 Nov 2010, 14:05"),
    ("fr", "11 nov. 2010", "novembre 2010", "11 nov. 2010, 14:05"),
    ("es", "11 nov 2010", "noviembre de 2010", "11 nov 2010, 14:05"),
])
def test_a_date_is_shown_as_its_language_writes_it(language, day, month, moment):
    with translation.override(language):
        assert shown(datetime.date(2010, 11, 11), "day") == day
        assert shown(datetime.date(2010, 11, 1), "month") == month
        assert shown(datetime.datetime(2010, 11, 11, 14, 5, tzinfo=datetime.UTC), "time") == moment
        assert shown(datetime.date(2013, 12, 31), "year") == "2013"


@pytest.mark.parametrize(("language", "written"), [("en", "42%"), ("fr", "42\u202f%"), ("es", "42\u00a0%")])
def test_a_percentage_is_written_as_its_language_writes_it(language, written):
    with translation.override(language):
        assert (percent(41.6), percent("42"), percent(None)) == (written, written, "")


@pytest.mark.parametrize(("language", "written"), [("en", "12,345"), ("fr", "12\u00a0345"), ("es", "12\u00a0345")])
def test_a_count_is_grouped_as_its_language_groups_it(language, written):
    from django.template import Context, Template

    with translation.override(language):
        assert Template('{{ n|floatformat:"g" }}').render(Context({"n": 12345})) == written


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_date_box_keeps_its_iso_value_in_every_language(language):
    from recommendations.filter_fields import DatePicker

    with translation.override(language):
        assert DatePicker().render("due", datetime.date(2027, 6, 30)) == \
            '<input type="date" name="due" value="2027-06-30">'
        assert DatePicker().format_value("30/06/2027") == "2027-06-30"  # a French date typed in an address


def test_an_item_page_shows_its_timeline_dates_in_the_readers_language(client):
    assert ">11 Nov 2010, " in client.get(ITEM).content.decode()
    client.cookies["django_language"] = "fr"
    body = client.get(ITEM).content.decode()  # the timeline's fragment is cached: per language
    assert ">11 nov. 2010, " in body and ">11 Nov 2010, " not in body


def test_the_publics_page_has_an_etag_per_language(client):
    english = client.get("/")
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=english["ETag"])

    assert french.status_code == 200 and language_of(french) == "fr"
    assert french["ETag"] != english["ETag"]
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=french["ETag"]).status_code == 304


def test_every_cached_fragment_is_kept_per_language():
    from pathlib import Path

    from django.conf import settings

    tags = [(str(path), line) for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
            for line in path.read_text(encoding="utf-8").split("{% cache ")[1:]]
    assert tags and [path for path, tag in tags if "LANGUAGE_CODE %}" not in tag.split("%}")[0] + "%}"] == []
