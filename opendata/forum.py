"""The open data's Forum records: meetings, roundtables, sessions and who took part, actors, themes, good
practices and meeting contributions. All public (the meeting and actor pages show them to anyone)."""

from recommendations.exports import Column
from recommendations.models import (
    Actor,
    GoodPractice,
    Meeting,
    MeetingContribution,
    Roundtable,
    Session,
    SessionParticipant,
    Theme,
)

from .schema import Field, Resource, integer, label, names, text, translations

MEETING = "The meeting's year (meetings.year)."
SESSION = "The session's code within its meeting (sessions.code, with meeting)."
ACTOR = "An actor's name (actors.name)."
LINE = "The line of the report (fixtures/gfmd2010/report.txt) that says it; empty where none is recorded."


def date(name, description):
    return Field(name, "date", description, Column(name, name))


MEETINGS = Resource(
    "meetings", "Meetings", "The annual meetings of the Global Forum on Migration and Development, and the handover "
    "to the next Chair as the meeting's report states it.",
    [integer("year", "The year of the meeting: its identifier."),
     text("edition", 'Its edition, as the report words it ("Fourth").'),
     text("title", "Its title."), text("theme", "Its overall theme."), text("city", "Where it was held."),
     text("country", "The host country, as its ISO 3166-1 alpha-2 code."),
     date("start_date", "Its first day."), date("end_date", "Its last day."),
     text("chair", "The Chair-in-Office, as the report names them."),
     text("chair_country", f"The Chair's country: {ACTOR}", "chair_country__name"),
     text("next_chair", "The incoming Chair, as the report names them."),
     text("next_chair_country", f"The incoming Chair's country: {ACTOR}", "next_chair_country__name"),
     integer("next_chair_line", LINE),
     text("handover", "What the report says of the next year, in its words."),
     integer("handover_line", LINE)],
    queryset=lambda: Meeting.objects.order_by("year"),
    primary_key=("year",),
    foreign_keys=((("chair_country",), "actors", ("name",)), (("next_chair_country",), "actors", ("name",))),
)

ROUNDTABLES = Resource(
    "roundtables", "Roundtables", "The roundtables of each meeting, under which its roundtable sessions are held.",
    [integer("meeting", MEETING, "meeting__year"), integer("number", "Its number within the meeting (1, 2, 3)."),
     text("title", "Its title."), text("coordinator", "Its coordinator, as the report names them."),
     text("rapporteurs", "Its rapporteurs, as the report names them."), *translations("title")],
    queryset=lambda: Roundtable.objects.order_by("meeting__year", "number"),
    primary_key=("meeting", "number"),
    foreign_keys=((("meeting",), "meetings", ("year",)),),
)

SESSIONS = Resource(
    "sessions", "Sessions", "The sessions of each meeting: roundtable sessions (1.1 … 3.3) and the other segments "
    "(the Civil Society Days CSD, the Common Space CS, the PfP working session PFP, the Future of the Forum FOF).",
    [integer("meeting", MEETING, "meeting__year"),
     text("code", 'Its code within the meeting ("2.1", "CSD"): with meeting, its identifier.'),
     integer("roundtable", "The number of its roundtable (roundtables.number, with meeting); empty for a session "
                           "that is not a roundtable session.", "roundtable__number"),
     text("title", "Its title."), label("kind", "What kind of session it is.", Session.Kind.choices),
     integer("position", "Its place in the meeting's order."),
     text("chaired_by", "Chairs or moderators who are people, as the report words it (a roundtable session's "
                        "co-chairs are in session-participants)."),
     text("rapporteurs", "Its rapporteurs, as the report names them."),
     text("outcomes_intro", "The sentence that introduces its numbered outcomes, if any."),
     *translations("title", "outcomes_intro")],
    queryset=lambda: Session.objects.order_by("meeting__year", "position", "code"),
    primary_key=("meeting", "code"),
    foreign_keys=((("meeting",), "meetings", ("year",)),),
)

SESSION_PARTICIPANTS = Resource(
    "session-participants", "Session participants", 'Who took part in each session as the annex "Co-chairs and '
    'government teams" lists them: co-chairs, government team members and international organizations.',
    [integer("meeting", MEETING, "session__meeting__year"), text("session", SESSION, "session__code"),
     text("actor", ACTOR, "actor__name"),
     label("role", "The actor's place in the session.", SessionParticipant.Role.choices),
     integer("position", "Its place in the list of its role, as the annex orders it.")],
    queryset=lambda: SessionParticipant.objects.order_by("session__meeting__year", "session__position",
                                                         "session__code", "role", "position"),
    primary_key=("meeting", "session", "actor", "role"),
    foreign_keys=((("meeting", "session"), "sessions", ("meeting", "code")), (("actor",), "actors", ("name",))),
)

ACTORS = Resource(
    "actors", "Actors", "Governments, international organizations, civil society and GFMD bodies: one record "
    "each, named everywhere else by its name.",
    [text("name", "Its name: its identifier."),
     text("short_name", "Its abbreviation as the report writes it (IOM, UAE)."),
     label("kind", "What kind of actor it is.", Actor.Kind.choices),
     text("country", "For governments and national bodies, the country's ISO 3166-1 alpha-2 code."),
     names("members", "The members of a group (the Steering Group, the Troika, the assessment team): actors' "
                      "names (actors.name).", "members"),
     text("notes", "What the tracker says of it (the report's words, where it quotes them).")],
    queryset=lambda: Actor.objects.order_by("name"),
    primary_key=("name",),
)

THEMES = Resource(
    "themes", "Themes", "The tracker's tags for subjects that cut across sessions (\"everything on children\"), "
    "and the headings of the Civil Society Days statement.",
    [text("slug", "Its short name in addresses and spreadsheets: its identifier."), text("name", "Its name."),
     text("description", "What it covers."), *translations("name", "description")],
    queryset=lambda: Theme.objects.order_by("name"),
    primary_key=("slug",),
)

GOOD_PRACTICES = Resource(
    "good-practices", "Good practices", "The practices the sessions name: who has or does what, verbatim from the "
    "report, with the line it starts on.",
    [integer("meeting", MEETING, "session__meeting__year"), text("session", SESSION, "session__code"),
     integer("position", "Its place in the session's list."),
     names("actors", "The countries and organizations its text names: actors' names (actors.name).", "actors"),
     text("text", "The practice, verbatim from the report."), integer("source_line", LINE)],
    queryset=lambda: GoodPractice.objects.order_by("session__meeting__year", "session__position", "session__code",
                                                   "position", "pk"),
    foreign_keys=((("meeting", "session"), "sessions", ("meeting", "code")),),
)

MEETING_CONTRIBUTIONS = Resource(
    "meeting-contributions", "Meeting contributions", "What donors and organisers gave or did to make a meeting "
    'happen, in the report\'s words (the annex "International contributions"; the Civil Society Days\' organiser).',
    [integer("meeting", MEETING, "meeting__year"), text("actor", ACTOR, "actor__name"),
     label("role", "Whether the actor contributed or organised.", MeetingContribution.Role.choices),
     text("description", "What they gave or did, in the report's words (an annex row's cells joined by \" — \")."),
     integer("source_line", LINE)],
    queryset=lambda: MeetingContribution.objects.order_by("meeting__year", "source_line", "actor__name", "pk"),
    foreign_keys=((("meeting",), "meetings", ("year",)), (("actor",), "actors", ("name",))),
)

RESOURCES = [ACTORS, THEMES, MEETINGS, ROUNDTABLES, SESSIONS, SESSION_PARTICIPANTS, MEETING_CONTRIBUTIONS,
             GOOD_PRACTICES]
