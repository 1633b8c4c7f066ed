"""Good practices: those the report describes in running text (sessions 2.1, 2.2, 3.3 and the Common Space)
and the actors every practice's text names, against the report's own lines.

The expectations are read from the report (`fixtures/gfmd2010/report.txt`) and from the rule in README
"The data", never from the seed's fixtures."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from recommendations.models import Actor, GoodPractice, Recommendation, Session

pytestmark = pytest.mark.django_db

LINES = (Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt").read_text(
    encoding="utf-8").split("\n")
FOOTNOTE = re.compile(r"^(\^\{[ivx]+\}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")


def paragraph(number):
    """The report's line `number` without emphasis markers, joined to the rest of its sentence when a page break
    (and the footnotes printed at its foot) cut it."""
    text = LINES[number - 1]
    if not re.search(r"[.:;?!)]$", text.rstrip()):
        after = number
        while not LINES[after].strip() or FOOTNOTE.match(LINES[after]):
            after += 1
        text = text.rstrip() + " " + LINES[after]
    return text.replace("*", "")


# The rule of README "The data", applied by hand to every paragraph (footnotes included) of sessions 2.1
# (lines 439-524), 2.2 (530-606), 3.3 (710-760) and the Common Space (222-303): each practice's line and
# opening words, in the report's order.
RUNNING_TEXT = [
    ("2.1", 447, "One-stop-shops offering up-front services"),
    ("2.1", 447, "Indonesia has decentralized its one-stop shops"),
    ("2.1", 447, "Chile has established a low cost passports"),
    ("2.1", 447, "Legal limits set on fees, as in the Philippines and Indonesia"),
    ("2.1", 451, "In Sri Lanka, three State banks offer such loans"),
    ("2.1", 451, "Indonesia also offers low cost loans schemes"),
    ("2.1", 451, "Bangladesh recently created an Expatriate Welfare Bank"),
    ("2.1", 455, "This could be achieved in two ways"),  # "standard capped fees, such as set by Italy, Spain and …"
    ("2.1", 459, "The bilateral programs between Mauritius-France/Canada"),
    ("2.1", 461, "The UAE and Switzerland co-organized"),
    ("2.1", 467, "Universal access to health care was identified"),
    ("2.1", 467, "Regularization of migrants in irregular situations"),
    ("2.1", 477, "Sri Lanka has set up a multi-stakeholder process"),
    ("2.1", 477, "Mexico collaborates with hundreds of migrant associations"),
    ("2.1", 477, "Philippines and Korea provide mandatory insurance"),
    ("2.1", 479, "Spain and Chile permit their temporary migrants"),
    ("2.1", 479, "Korea provides medical assistance"),
    ("2.1", 479, "Other options include end-of-contract payments, as mandated in the UAE"),
    ("2.1", 481, "Thailand has an employer/employee contributions-based"),
    ("2.1", 481, "Cameroon has a non-discriminatory policy"),
    ("2.1", 481, "Philippines has social security agreements"),
    ("2.1", 481, "Indonesia has no bilateral social security agreements"),
    ("2.1", 483, "The Ibero-American Conference of Heads of State and Presidents"),
    ("2.1", 495, "For Mauritius, for example, circular migration agreements"),
    ("2.1", 497, "The EC is promoting pilot programs"),
    ("2.1", 499, "Germany, Japan and South Korea have invested"),
    ("2.1", 499, "In the EC and French programs with Mauritius and Mali"),
    ("2.1", 499, "And resource centres such as the German-supported"),
    ("2.1", 501, "Mexico has negotiated innovative/unique certification"),
    ("2.1", 501, "Under its Mobility Partnership with EU countries,"),
    ("2.1", 507, "Note Mauritius complements this"),
    ("2.2", 544, "The Philippine Overseas Workers’ Welfare Administration"),
    ("2.2", 546, "Philippines and Sri Lanka are also using IT"),
    ("2.2", 546, "Israel also has a program"),
    ("2.2", 546, "a joint program between Ukraine and Italy"),
    ("2.2", 546, "The Philippine method of funding"),
    ("2.2", 560, "Mexico has a multi-pronged, cross-sectoral strategy"),
    ("2.2", 562, "Moldova has collected evidence"),
    ("2.2", 562, "Moldova has a joint program with Italy"),
    ("2.2", 562, "Thailand has set up a Child Protection Monitoring System"),
    ("2.2", 562, "Mauritania has also worked with UNICEF"),
    ("2.2", 562, "Indonesia encourages NGOs"),
    ("2.2", 570, "Spain has bilateral arrangements with Morocco and Senegal"),
    ("2.2", 582, "EU countries like Portugal and Spain"),
    ("2.2", 584, "Special protection is required"),  # "(Bolivia's Constitution gives this recognition)"
    ("2.2", 588, "Information to migrants prior to emigration"),
    ("2.2", 588, "Under its legislation to protect the wellbeing"),
    ("CS", 258, "In the Philippines, for instance, telenovelas"),
    ("CS", 293, "The example of Ethiopia was cited"),
    ("CS", 297, "Moldova was cited as an example"),
    ("3.3", 732, "One of the co-chairs mentioned, as an example, the EU-level Regulation"),
]
ENUMERATED_LIST_2_2 = 586  # the six "recent good practices" of 2.2, seeded before


def running_text_practices():
    return (GoodPractice.objects.filter(session__meeting__year=2010, session__code__in=["2.1", "2.2", "3.3", "CS"])
            .exclude(source_line=ENUMERATED_LIST_2_2).select_related("session")
            .order_by("session__position", "position"))


def test_the_running_text_of_the_four_sessions_holds_51_practices_by_the_readmes_rule():
    assert Counter(session for session, _, _ in RUNNING_TEXT) == {"2.1": 31, "2.2": 16, "CS": 3, "3.3": 1}
    seeded = Counter(p.session.code for p in running_text_practices())
    assert seeded == {"2.1": 31, "2.2": 16, "CS": 3, "3.3": 1}


# Footnotes that describe further a practice seeded from the text (not practices of their own, nor joined to them:
# their words are on other lines), and footnote 27's remark on a proposal, which cites the recommendations of
# consultations as a study's findings are cited: none is a practice. Footnote 21 (line 507) is one: Mauritius's own
# alliances, beside the programs it complements.
NOT_PRACTICES = {
    489: ("¹⁸ The multilateral agreement on social security covers", 483),  # the Ibero-American scheme
    550: ("²⁴ These deliver psycho-social counseling", 544),  # OWWA's welfare offices
    599: ("²⁶Employers prosecuted for abuse", 588),  # Singapore's legislation for domestic workers
    601: ("²⁷This echoed the recommendations of the high level consultations", None),
}


@pytest.mark.parametrize("line", NOT_PRACTICES)
def test_a_footnote_on_a_seeded_practice_or_a_remark_is_no_practice_of_its_own(line):
    opening, described = NOT_PRACTICES[line]
    assert LINES[line - 1].startswith(opening)
    assert not GoodPractice.objects.filter(source_line=line).exists()
    assert described is None or GoodPractice.objects.filter(source_line=described).exists()


@pytest.mark.parametrize("line, words, linked", [
    (455, "standard capped fees, such as set by Italy, Spain and Philippines", ["Italy", "Philippines", "Spain"]),
    (584, "(Bolivia's Constitution gives this recognition)", ["Bolivia"]),
])
def test_a_measure_cited_as_an_example_counts_in_a_sentence_on_what_could_or_should_be_done(line, words, linked):
    assert words in LINES[line - 1]
    [practice] = GoodPractice.objects.filter(source_line=line)
    assert words in practice.text and sorted(a.name for a in practice.actors.all()) == linked


def test_each_is_seeded_in_the_reports_order_from_its_line_and_opening_words():
    seeded = [(p.session.code, p.source_line, p.text) for p in running_text_practices()]
    report_order = sorted(RUNNING_TEXT, key=lambda row: ["CS", "2.1", "2.2", "3.3"].index(row[0]))
    assert [(code, line) for code, line, _ in seeded] == [(code, line) for code, line, _ in report_order]
    for (_, _, text), (_, _, opening) in zip(seeded, report_order):
        assert text.startswith(opening)


def test_every_practice_is_verbatim_and_starts_on_its_line():
    practices = list(GoodPractice.objects.filter(session__meeting__year=2010))
    assert len(practices) == 74  # 23 of the enumerated lists and 51 from running text
    for practice in practices:
        text = paragraph(practice.source_line)
        assert practice.text in text, practice.source_line
        assert text.index(practice.text) < len(LINES[practice.source_line - 1]), practice.source_line
        assert "*" not in practice.text


@pytest.mark.parametrize("line, text", [
    # Two actors' measures in one sentence, joined by a semicolon: two practices.
    (451, "Indonesia also offers low cost loans schemes to its emigrants through State banks"),
    (451, "Bangladesh recently created an Expatriate Welfare Bank to offer collateral-free loans to migrants and to "
          "returnees."),
    # A sentence a page break cut in two (lines 501 and 511, the footnotes between them left out).
    (501, "Under its Mobility Partnership with EU countries, Moldova has negotiated mutual qualifications/skills "
          "recognition and equivalence procedures with the EU partners."),
    # The same measure described further in the next sentence; the footnote marker after the full stop left out.
    (588, "Under its legislation to protect the wellbeing and workplace safety of domestic workers, Singapore runs a "
          "Safety Awareness Course for first-time domestic workers, an Employer Orientation program for first-time "
          "employers of such workers, and a helpline for domestic workers in distress. Employers are monitored and "
          "held accountable for their treatment of these workers."),
    # Emphasis markers removed (*émigrés*).
    (481, "Cameroon has a non-discriminatory policy for its émigrés and immigrants; and agreements with other "
          "countries to cover pensions."),
])
def test_practices_are_word_for_word(line, text):
    assert GoodPractice.objects.get(text=text).source_line == line


# README "The data": a practice is linked to every country and organisation its text names; a demonym names
# the country. The report's other spellings of the actors' names, and the demonyms the practices use:
ALSO_NAMED = {
    "Brazil": ["Brazilian"], "Chile": ["Chilean"], "France": ["French"], "Germany": ["German"], "Mali": ["Malian"],
    "Mauritius": ["Mauritian"], "Mexico": ["Mexican"], "Peru": ["Peruvians"], "Philippines": ["Philippine", "Filipino"],
    "Republic of Korea": ["South Korea"], "Republic of Moldova": ["Moldovan"], "Ukraine": ["Ukrainian"],
    "United Kingdom": ["U.K."], "United States of America": ["United States", "US", "New York"],
}


def named_in(text, actors):
    """The actors whose name, abbreviation or demonym the text uses (case matters: WHO is not "who")."""
    found = set()
    for actor in actors:
        forms = [actor.name, *([actor.short_name] if actor.short_name else []), *ALSO_NAMED.get(actor.name, [])]
        if any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in forms):
            found.add(actor.name)
    return found


def test_every_practice_is_linked_to_every_country_and_organisation_its_text_names_and_no_other():
    actors = list(Actor.objects.all())
    for practice in GoodPractice.objects.prefetch_related("actors"):
        assert {a.name for a in practice.actors.all()} == named_in(practice.text, actors), practice.text[:60]


@pytest.mark.parametrize("line, linked", [
    # "Germany has partnerships with Moldova and Georgia … the German police … the Moldovan border police"
    (345, ["Georgia", "Germany", "Republic of Moldova"]),
    # "Mali has an agreement with France … There is also an agreement with Spain that allows Malian workers …"
    (349, ["France", "Mali", "Spain"]),
    # "… Argentina, Paraguay and Chile (Example: Acuerdo Mercosur de Residencia between Chile and Brazil) …"
    (346, ["Argentina", "Brazil", "Chile", "Mercosur", "Paraguay"]),
    (401, ["Chile", "Peru"]),  # "… to regularize Peruvians living in Chile."
    # "The Moldovan government … (also working with Ukrainian border patrol)"
    (402, ["Republic of Moldova", "Ukraine"]),
    (348, ["Belarus", "Office of the United Nations High Commissioner for Refugees"]),  # "… including UNHCR …"
    (347, ["Ghana", "Nigeria", "United Kingdom"]),
])
def test_the_partners_the_enumerated_practices_name_are_linked(line, linked):
    [practice] = GoodPractice.objects.filter(source_line=line)
    assert sorted(a.name for a in practice.actors.all()) == linked


def test_actors_named_only_in_practices_have_the_right_kind_and_iso_code():
    kinds = {a.name: (a.kind, a.country.code or "") for a in Actor.objects.filter(name__in=[
        "Georgia", "Paraguay", "Peru", "Uzbekistan", "Singapore", "European Union", "Mercosur", "Save the Children",
        "Microsoft"])}
    assert kinds == {
        "Georgia": ("government", "GE"), "Paraguay": ("government", "PY"), "Peru": ("government", "PE"),
        "Uzbekistan": ("government", "UZ"), "Singapore": ("government", "SG"),
        "European Union": ("international_organization", ""), "Mercosur": ("international_organization", ""),
        "Save the Children": ("civil_society", ""), "Microsoft": ("other", ""),
    }


def test_the_common_space_is_a_session_of_the_2010_meeting_before_the_roundtables():
    # Report section 5.2 "THE COMMON SPACE" (line 220), after the Civil Society Days and before the Roundtables.
    assert LINES[219] == "5.2. THE COMMON SPACE"
    codes = list(Session.objects.filter(meeting__year=2010).values_list("code", flat=True))
    assert codes == ["CSD", "CS", "1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "PFP", "FOF"]
    common_space = Session.objects.get_by_natural_key(2010, "CS")
    assert (common_space.title, common_space.kind) == ("The Common Space", Session.Kind.COMMON_SPACE)
    assert common_space.roundtable is None
    # Its two moderators, as lines 231 and 268 name them; its panelists are people, for whom a session has no field.
    assert "moderated by Ambassador Sergio Marchi," in LINES[230]
    assert "moderated by Dr. René Zenteno," in LINES[267]
    assert "moderated by Ambassador Sergio Marchi" in common_space.chaired_by
    assert "moderated by Dr. René Zenteno" in common_space.chaired_by
    assert not common_space.participants.exists() and common_space.rapporteurs == ""
    assert not common_space.recommendations.exists()


def test_the_recommendations_keep_their_report_order_with_the_common_space():
    stored = list(Recommendation.objects.order_by("pk").values_list("pk", "ordinal"))
    Recommendation.objects.all().renumber()  # the report order, computed again from the sessions' positions
    assert list(Recommendation.objects.order_by("pk").values_list("pk", "ordinal")) == stored
    assert [r.natural_key()[1:] for r in Recommendation.objects.all()][:1] == [("1.1", 1)]


def test_an_actors_page_shows_each_practice_with_its_line(viewer_client):
    georgia = Actor.objects.get(name="Georgia")
    page = viewer_client.get(reverse("recommendations:actor", args=[georgia.pk])).content.decode()
    assert "Germany has partnerships with Moldova and Georgia" in page
    assert "(report, line 345)" in page
