"""What people are told, in their language (README, "Languages"): a mail goes in its recipient's language (their
profile's, else the site's English), whoever sends it and in whatever language the sending runs; the pages in the
reader's. The French and Spanish expected here are notifications/locale's, reviewed against the glossary. The
notifications' own subjects and texts are stored words (the reminders' and following's), not translated here."""

import pytest
from django.utils import translation

from gfmd_tracker.models import Profile
from notifications.mail import send_due
from notifications.models import Kind

from .conftest import TUESDAY, html, overdue, person, plain, tell

pytestmark = pytest.mark.django_db
N = "\u00a0"  # French puts a no-break space before a colon


def three_notifications(user):
    overdue(user, "overdue:1")
    overdue(user, "overdue:2")
    tell(user, Kind.STALE, "stale:1")


def mail_of(smtp_server, address):
    [mail] = [mail for mail in smtp_server.messages if mail["To"].addresses[0].addr_spec == address]
    return mail


def test_a_french_recipients_digest_is_in_french(smtp_server, settings):
    settings.SITE_URL = "http://tracker.example.org"
    olga = person("olga")
    Profile.objects.create(user=olga, language="fr")
    three_notifications(olga)
    send_due(now=TUESDAY)

    mail = mail_of(smtp_server, "olga@example.org")
    text, markup = plain(mail), html(mail)
    assert mail["Subject"] == "3 notifications de GFMD Tracker"
    assert text.startswith("Bonjour Olga Example,\n\nGFMD Tracker a 3 notifications pour vous.\n")
    assert "== En retard (2) ==" in text and "== Pas de rapport récent (1) ==" in text
    assert "\nToutes vos notifications" + N + ": http://tracker.example.org/notifications/\n" in text
    assert markup.startswith('<!doctype html>\n<html lang="fr">')
    assert '<h2 style="font-size: 1.1em;">En retard (2)</h2>' in markup
    assert ">Ne plus recevoir de courriels de ce type</a></p>" in markup


def test_each_recipient_gets_their_own_language_whatever_the_language_the_run_is_in(smtp_server):
    olga, pat, ana = person("olga"), person("pat"), person("ana")
    Profile.objects.create(user=olga, language="es")
    Profile.objects.create(user=pat, language="")  # follows their browser: a mail has none, so the site's
    for user in (olga, pat, ana):
        overdue(user)
    with translation.override("fr"):  # e.g. an editor's French request that sends
        send_due(now=TUESDAY)

    spanish, blank, none = (mail_of(smtp_server, f"{name}@example.org") for name in ("olga", "pat", "ana"))
    assert plain(spanish).startswith("Hola, Olga Example:\n\nGFMD Tracker tiene una notificación para usted.\n")
    assert "== Atrasados (1) ==" in plain(spanish) and '<html lang="es">' in html(spanish)
    for mail in (blank, none):
        assert "The GFMD Tracker has one notification for you." in plain(mail) and '<html lang="en">' in html(mail)
        assert "== Overdue (1) ==" in plain(mail)


def test_the_preferences_page_names_kinds_and_deliveries_in_the_readers_language(client):
    olga = person("olga")
    client.force_login(olga)
    english = client.get("/notifications/preferences/").content.decode()
    french = client.get("/notifications/preferences/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    spanish = client.get("/notifications/preferences/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "<h1>E-mail preferences</h1>" in english and "A followed item changed" in english
    assert '<option value="daily" selected>In a daily digest</option>' in english
    assert "<h1>Préférences de courriel</h1>" in french and "Changement d’un élément suivi" in french
    assert '<option value="daily" selected>Dans un récapitulatif quotidien</option>' in french
    assert "<h1>Preferencias de correo electrónico</h1>" in spanish and "Cambio en un elemento seguido" in spanish
    assert '<option value="daily" selected>En un resumen diario</option>' in spanish


def test_saving_preferences_says_so_in_the_readers_language(client):
    client.force_login(person("olga"))
    response = client.post("/notifications/preferences/", {kind: "none" for kind in Kind.values}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="es")
    assert '<li class="message success">Sus preferencias de correo electrónico se han guardado.</li>' in (
        response.content.decode())


def test_the_notifications_page_in_french(client):
    olga = person("olga")
    overdue(olga)
    client.force_login(olga)
    body = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Notifications</h1>" in body and '<button type="submit">Tout marquer comme lu</button>' in body
    assert '<span class="badge overdue">Nouveau</span>' in body and "En retard · " in body
