"""Load a meeting's data from `fixtures/<folder>/*.json`, idempotently.

Every record is found by its natural key and created only if missing; an existing
record is never changed, so staff's follow-up (status, owner, progress, updates)
and editors' corrections survive any number of runs. A record's relations
(participants, members, themes, responsible actors) are set only when the seed
creates that record.
"""

import datetime
import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from .models import (
    Actor,
    FollowUpItem,
    GoodPractice,
    Meeting,
    Recommendation,
    Roundtable,
    Session,
    SessionParticipant,
    Theme,
)

# The report's items enter the timeline on the last day of the meeting that produced them.
SEED_TIME = datetime.time(12, 0, tzinfo=datetime.timezone.utc)


def read_fixture(folder: Path, name: str):
    with open(folder / name, encoding="utf-8") as f:
        return json.load(f)


def seed_note(item_kind, session, number, status_source):
    place = f"session {session.code}" if session.roundtable_id is None else f"RT session {session.code}"
    note = (
        f"Seeded from the report of GFMD {session.meeting.year} ({session.meeting.city}): "
        f"{place}, {item_kind} {number}."
    )
    if status_source:
        note += f" Status as of the report: {status_source}"
    return note


class Seeder:
    """Creates what is missing and counts what it created, per model."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.created = Counter()
        self.actors = {}

    def actor(self, name):
        if name not in self.actors:
            self.actors[name] = Actor.objects.get(name=name)
        return self.actors[name]

    def get_or_create(self, model, lookup, defaults):
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
        if created:
            self.created[model._meta.verbose_name_plural] += 1
        return obj, created

    @transaction.atomic
    def run(self):
        self.load_actors()
        self.load_themes()
        meeting = self.load_meeting()
        self.load_tracked(meeting, Recommendation, "recommendations.json", "outcome and recommendation")
        Recommendation.objects.filter(session__meeting=meeting, ordinal=0).renumber()
        self.load_tracked(meeting, FollowUpItem, "follow_up_items.json", "follow-up item")
        self.load_good_practices(meeting)
        return meeting

    def load_actors(self):
        rows = read_fixture(self.folder, "actors.json")
        new = []
        for row in rows:
            actor, created = self.get_or_create(
                Actor, {"name": row["name"]},
                {k: row[k] for k in ("short_name", "kind", "country", "notes")},
            )
            if created:
                new.append((actor, row["members"]))
        for actor, members in new:
            actor.members.set([self.actor(m) for m in members])

    def load_themes(self):
        for row in read_fixture(self.folder, "themes.json"):
            self.get_or_create(Theme, {"slug": row["slug"]}, {"name": row["name"], "description": row["description"]})

    def load_meeting(self):
        row = read_fixture(self.folder, "meeting.json")
        fields = ("edition", "title", "theme", "city", "country", "chair")
        dates = {k: datetime.date.fromisoformat(row[k]) for k in ("start_date", "end_date")}
        meeting, _ = self.get_or_create(
            Meeting, {"year": row["year"]},
            {**{k: row[k] for k in fields}, **dates, "chair_country": self.actor(row["chair_country"])},
        )
        roundtables = {}
        for rt in row["roundtables"]:
            roundtables[rt["number"]], _ = self.get_or_create(
                Roundtable, {"meeting": meeting, "number": rt["number"]},
                {k: rt[k] for k in ("title", "coordinator", "rapporteurs")},
            )
        for s in row["sessions"]:
            fields = ("title", "kind", "position", "chaired_by", "rapporteurs", "outcomes_intro")
            session, created = self.get_or_create(
                Session, {"meeting": meeting, "code": s["code"]},
                {**{k: s[k] for k in fields}, "roundtable": roundtables.get(s["roundtable"])},
            )
            if created:
                SessionParticipant.objects.bulk_create(
                    SessionParticipant(session=session, actor=self.actor(name), role=role, position=i)
                    for role, names in s["participants"].items()
                    for i, name in enumerate(names)
                )
        return meeting

    def load_tracked(self, meeting, model, fixture, item_kind):
        sessions = {s.code: s for s in meeting.sessions.select_related("meeting")}
        themes = {t.slug: t for t in Theme.objects.all()}
        at = datetime.datetime.combine(meeting.end_date, SEED_TIME)
        for row in read_fixture(self.folder, fixture):
            session = sessions[row["session"]]
            item, created = self.get_or_create(
                model, {"session": session, "number": row["number"]},
                {"title": row["title"], "text": row["text"], "status": row["status"]},
            )
            if created:
                item.themes.set([themes[slug] for slug in row["themes"]])
                item.responsible_actors.set([self.actor(name) for name in row["responsible_actors"]])
                item.start_timeline(note=seed_note(item_kind, session, row["number"], row["status_source"]), at=at)

    def load_good_practices(self, meeting):
        sessions = {s.code: s for s in meeting.sessions.all()}
        for position, row in enumerate(read_fixture(self.folder, "good_practices.json")):
            practice, created = self.get_or_create(
                GoodPractice, {"session": sessions[row["session"]], "text": row["text"]}, {"position": position}
            )
            if created:
                practice.actors.set([self.actor(name) for name in row["actors"]])
