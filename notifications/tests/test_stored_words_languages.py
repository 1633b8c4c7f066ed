"""The words a notification stores are built in its recipient's language when it is made (README, "Languages";
issue #22 with #21): reminders, a followed item's changes, the weekly report. The French and Spanish expected here
are written from notifications/locale (reviewed against docs/translation-glossary.md), with the formats' dates
("5 juin 2026", "11 may 2025") and percentages ("40 %" with U+202F in French, U+00A0 in Spanish)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gfmd_tracker.models import Profile
from notifications.digest import make_weekly_digest
from notifications.models import DigestRecipient, Kind
from notifications.reminders import make_reminders
from recommendations.models import Recommendation, Status

from .people import NOW, arrange, day, member, recommendation, told
from .test_followed_changes import follows
from .test_weekly_digest import texts, vic, week  # noqa: F401 (fixtures)

ONLY_ARRANGED = pytest.mark.usefixtures("no_seeded_due_dates")  # reminders of the items arranged, not the seed's
A, N = "\u00a0", "\u202f"  # French: a no-break space before a colon, a narrow one before "%" and ";"
MAP = "Interactive map and databases on migration flows"
CONVENTIONS = "Enforce relevant international conventions"


def title_of(number):
    """The report's own title (content, the same in every language)."""
    return Recommendation.objects.get_by_natural_key(2010, "1.1", number).title


def speaking(user, language):
    Profile.objects.create(user=user, language=language)
    return user


def owners_in_three_languages():
    """Fleur (French) owns 2010/1.1/2, Sofía (Spanish) 2010/1.1/1 and 2010/1.1/3, Sam (no profile) 2010/1.1/4:
    all overdue, in progress at 40 %."""
    fleur, sofia, sam = member("fleur", "staff"), member("sofia", "staff"), member("sam", "staff")
    for number, owner in ((2, fleur), (1, sofia), (3, sofia), (4, sam)):
        arrange(recommendation(number), owner=owner, due_date=day(-10), progress=40, status=Status.IN_PROGRESS)
    return fleur, sofia, sam


@ONLY_ARRANGED
def test_a_french_owners_overdue_reminder_is_in_french(db):
    fleur, _, _ = owners_in_three_languages()
    speaking(fleur, "fr")
    make_reminders(NOW)
    [note] = told(fleur, Kind.OVERDUE)
    assert (note.subject, note.text, note.url) == (
        f"En retard{A}: Recommandation 2010/1.1/2{A}: {CONVENTIONS}",
        f"Échéance de Recommandation 2010/1.1/2{A}: {CONVENTIONS}{A}: 5 juin 2026, il y a 10 jours. Son statut{A}: "
        f"En cours, avancement 40{N}%. Rendez compte de son avancement{A}: déclarez sa clôture, ou repoussez son "
        "échéance en indiquant le motif.", "/recommendations/2010/1.1/2/")


@ONLY_ARRANGED
def test_a_spanish_owners_summary_and_its_items_are_in_spanish_and_an_english_owners_unchanged(db):
    _, sofia, sam = owners_in_three_languages()
    speaking(sofia, "es")
    make_reminders(NOW)
    [summary] = told(sofia, Kind.OVERDUE)
    assert (summary.subject, summary.text, summary.url, summary.item_count) == (
        "Atrasados: 2 de sus elementos", "2 de sus elementos están atrasados. Informe sobre su avance: declare su "
        "cierre o aplace sus fechas límite indicando el motivo.", "/my-items/", 2)
    assert [item["subject"] for item in summary.items] == [
        f"Atrasado: Recomendación 2010/1.1/1: {MAP}", f"Atrasado: Recomendación 2010/1.1/3: {title_of(3)}"]
    assert summary.items[0]["text"] == (
        f"Fecha límite de Recomendación 2010/1.1/1: {MAP}: 5 jun 2026, hace 10 días. Su estado: En curso, avance "
        f"40{A}%. Informe sobre su avance: declare su cierre o aplace su fecha límite indicando el motivo.")
    [english] = told(sam, Kind.OVERDUE)
    title = title_of(4)
    assert (english.subject, english.text) == (
        f"Overdue: Recommendation 2010/1.1/4: {title}",
        f"Recommendation 2010/1.1/4: {title} was due 5 Jun 2026: 10 days ago. Its status: In progress, progress 40 %. "
        "Report on it: close it, or move its due date with a reason.")


def queries_of_a_run(*, one_owner=None):
    """How many queries a run makes (with `one_owner` owning every item); what it wrote is rolled back."""
    point = transaction.savepoint()
    if one_owner:
        Recommendation.objects.filter(owner__isnull=False).update(owner=one_owner)
    with CaptureQueriesContext(connection) as queries:
        make_reminders(NOW)
    transaction.savepoint_rollback(point)
    return len(queries)


@ONLY_ARRANGED
def test_a_run_reads_its_owners_languages_at_once_whatever_their_number(db):
    fleur, sofia, sam = owners_in_three_languages()
    speaking(fleur, "fr"), speaking(sofia, "es"), speaking(sam, "en")
    queries_of_a_run()  # content types and permissions cached, as in a long-lived process
    # three owners in three languages cost what one owner costs: no query per person nor per language
    assert queries_of_a_run() == queries_of_a_run(one_owner=sam)
    make_reminders(NOW)
    subjects = {note.recipient.username: note.subject for note in (*told(fleur, Kind.OVERDUE),
                                                                    *told(sofia, Kind.OVERDUE),
                                                                    *told(sam, Kind.OVERDUE))}
    assert subjects == {"fleur": f"En retard{A}: Recommandation 2010/1.1/2{A}: {CONVENTIONS}",
                        "sofia": "Atrasados: 2 de sus elementos",
                        "sam": f"Overdue: Recommendation 2010/1.1/4: {title_of(4)}"}


def test_a_french_followers_changed_text_is_in_french(editor, viewer):
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    speaking(follows(viewer, item), "fr")
    item.record_update(by=editor, note="Planned for the 2011 budget.", status=Status.PLANNED, progress=10)
    [note] = told(viewer, Kind.ITEM_CHANGED)
    assert note.subject == f"Modification{A}: {item}"
    # (the fields' names are the items' verbose names, which recommendations does not translate yet)
    lines = note.text.split("\n")
    assert [line.split(f"{A}: ", 1)[1] for line in lines[:2]] == ["Non commencé → Planifié", f"0{N}% → 10{N}%"]
    assert lines[2:] == ["", f"Note{A}: Planned for the 2011 budget."]


def test_the_weekly_report_is_in_spanish_for_a_spanish_recipient_and_in_english_for_another(week, vic):  # noqa: F811
    speaking(vic, "es")
    eve = member("eve", "viewer")
    DigestRecipient.objects.create(user=eve)
    make_weekly_digest(NOW)
    spanish = texts(vic)
    assert [subject for subject, _, _ in spanish.values()] == [
        "Semana 25 de 2026: las cifras clave", "Semana 25: 1 cambio de estado",
        "Semana 25: 1 fecha límite aplazada", "Semana 25: 4 elementos atrasados"]
    assert spanish["figures"][1].split("\n")[2:5] == [
        "Recomendaciones: 45 en total, 45 abiertos, 2 atrasados.",
        f"  Con informe: 3 (7{A}%); en los últimos 90 días: 2 (4{A}%); desconocidos: 42.",
        f"  Avance de aquellos cuyo avance se conoce: 13{A}%. Cierres pendientes de verificación: 0; verificados: 0."]
    assert spanish["overdue"][1] == (
        "Elementos abiertos con la fecha límite vencida a 15 de junio de 2026: 4.\n"
        "\n"
        "Recomendaciones: 2; los más atrasados:\n"
        f"- Recomendación 2010/1.1/2: {CONVENTIONS}: fecha límite 11 may 2025, hace 400 días\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/2/\n"
        f"- Recomendación 2010/1.1/1: {MAP}: fecha límite 5 jun 2026, hace 10 días\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/1/\n"
        "\n"
        "Elementos de seguimiento: 1; los más atrasados:\n"
        "- Elemento de seguimiento 2010/FOF/1: GFMD assessment: fecha límite 2013, hace 4549 días\n"
        "  http://127.0.0.1:8000/follow-up/2010/FOF/1/\n"
        "\n"
        "Proyectos de la PfP: 0\n"
        "\n"
        "Acciones: 1; los más atrasados:\n"
        "- Acción 2010/1.1/1/a1: Draft the law: fecha límite 14 jun 2026, hace 1 día\n"
        "  http://127.0.0.1:8000/recommendations/2010/1.1/1/actions/a1/")
    assert texts(eve)["overdue"][0] == "Week 25: 4 items overdue"
    assert texts(eve)["changes"][1].startswith("Status changes from 8 June to 14 June 2026: 1.\n")
