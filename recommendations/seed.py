"""Load a meeting's data from `fixtures/<folder>/*.json`, idempotently.

The record made, or found, for each entry is remembered (`SeedRecord`) and found again on every later
run, whatever an editor changed since; an entry not met before is looked up by its natural key and created
only if missing. An existing record and its relations are never changed, so staff's follow-up and editors'
corrections survive any number of runs, and a record an editor deleted is not brought back. The one addition
to an existing record: a good practice's link to an actor that an earlier version of the seed did not make
(`added_actors`), made once and remembered, so that a link an editor removed stays removed. What an earlier
version set otherwise than the fixtures now say is listed in the summary, not changed (`compare`)."""

import datetime
import hashlib
import json
from collections import Counter
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from . import dates
from .models import (
    Actor,
    FollowUpItem,
    GoodPractice,
    Lineage,
    Meeting,
    MeetingContribution,
    Recommendation,
    Roundtable,
    SeedRecord,
    Session,
    SessionParticipant,
    Status,
    Theme,
    kind_name,
)

# The report's items enter the timeline on the last day of the meeting that produced them.
SEED_TIME = datetime.time(12, 0, tzinfo=datetime.timezone.utc)


def read_fixture(folder: Path, name: str):
    return json.loads((folder / name).read_text(encoding="utf-8"))


def quoted(what, quote, line):
    """A claim the seed makes and the report's sentence it rests on: `Status in progress: "…" (report, line 461).`"""
    return f'{what}: "{quote}" (report, line {line}).'


def status_note(label, row):
    """Why the item has the status it is seeded with: the report's sentence and its line (README, "The data").
    An item left at the default, not started, has no sentence to quote."""
    if not row.get("status_source"):
        return ""
    return " " + quoted(f"Status as of the report, {label.lower()}", row["status_source"], row["status_line"])


def seed_note(item_kind, session, number, status):
    place = f"session {session.code}" if session.roundtable_id is None else f"RT session {session.code}"
    return (f"Seeded from the report of GFMD {session.meeting.year} ({session.meeting.city}): "
            f"{place}, {item_kind} {number}.{status}")


def source_note(row):
    """The report's line an entry starts on, and a deadline in the report's words with its line (and the due
    date it gives, if it gives one: a deadline may be in words only, "by the next meeting")."""
    note = f" Report line {row['source_line']}." if row.get("source_line") else ""
    if deadline := row.get("deadline"):
        what = f"Due {dates.shown(*dates.parse(deadline['due']))}, the" if deadline.get("due") else "The"
        note += " " + quoted(f"{what} deadline as the report gives it", deadline["words"], deadline["line"])
    return note


def due_fields(row):
    """The due date where the report states one, as precisely as it gives it ("2013": the year's last day,
    precision year); none where it is silent or gives a deadline in words only (README, "The data")."""
    if not (row.get("deadline") or {}).get("due"):
        return {}
    first, precision = dates.parse(row["deadline"]["due"])
    return {"due_date": dates.last_day(first, precision), "due_date_precision": precision}


def seeded_values(item, row, at):
    """What the seed sets on an item it creates, {what: (as the item holds it, as the fixtures say it, in words)}:
    its status as of the meeting (`at`) then at each later event the report dates, as its timeline holds them, and
    its due date. Nothing for an item someone has logged an update on: it is theirs now."""
    if item.updates.exclude(author=None).exists():
        return {}
    events = [(dates.parse(event["date"]), event["status"]) for event in row.get("later", [])]
    due = due_fields(row)
    said = ", then ".join([Status(row["status"]).label.lower()] + [
        f"{Status(status).label.lower()} from {dates.shown(*date)}" for date, status in events])
    return {
        "status": (list(item.updates.exclude(status_after="").order_by("created_at", "pk")
                        .values_list("created_at", "status_after")),
                   [(at, row["status"])] + [(dates.noon(date[0]), status) for date, status in events], said),
        "due date": ((item.due_date, item.due_date_precision if item.due_date else None),
                     (due.get("due_date"), due.get("due_date_precision")),
                     dates.shown(due["due_date"], due["due_date_precision"]) if due else "none"),
    }


def later_note(item_kind, session, number, event):
    """An event the report dates after the meeting: the status it brings and the sentence that dates it,
    `Status from January 2011, in progress: "…" (report, line 461).`"""
    what = f"Status from {dates.shown(*dates.parse(event['date']))}, {Status(event['status']).label.lower()}"
    return seed_note(item_kind, session, number, " " + quoted(what, event["source"], event["line"]))


class Seeder:
    """Finds or creates the record of each entry, remembers it, and counts what it created, per model."""

    records = SeedRecord  # where the seed remembers its records
    # How an entry the seed has not met before is looked up.
    natural_keys = {
        Actor: ("name",), Theme: ("slug",), Meeting: ("year",), Roundtable: ("meeting", "number"),
        Session: ("meeting", "code"), Recommendation: ("session", "number"), FollowUpItem: ("session", "number"),
        GoodPractice: ("session", "text"),
        MeetingContribution: ("meeting", "actor", "role", "source_line"),
        Lineage: ("kind", "item_type", "item_id", "target_type", "target_id", "reference_words"),
    }

    def __init__(self, folder: Path):
        self.folder = folder
        self.created = Counter()
        self.found = {}  # this run's records by key; None for one an editor deleted
        self.left = []  # what an earlier version seeded otherwise than the fixtures now say (`compare`)

    def find_or_create(self, model, entry, fields, *, same=None):
        """The record of the fixtures entry `entry` ("2010/3.3" for a session) and whether it was created
        now: the one remembered for the entry (None if it was deleted), else the one `fields`' natural key
        (or `same`) finds, else a new one made of `fields`; either is remembered from now on."""
        kind = model._meta.model_name
        key = f"{kind} {entry}"
        remembered = self.records.objects.filter(key=key).select_related(kind).first()
        created = False
        if remembered is not None:
            obj = getattr(remembered, kind)
        else:
            lookup = Q(**{name: fields[name] for name in self.natural_keys[model]})
            obj = model.objects.filter(lookup | same if same else lookup).first()
            if obj is None:
                obj, created = model.objects.create(**fields), True
                with translation.override("en"):  # the summary's English, whatever the language
                    self.created[str(model._meta.verbose_name_plural)] += 1
            self.records.objects.create(key=key, **{kind: obj})
        self.found[key] = obj
        return obj, created

    def compare(self, name, values):
        """Notes, for the summary, each value the seed would set on creating the record `name` ("recommendation
        2010/2.1/1") that differs in the record it found, made by an earlier version: {what: (the record's,
        the fixtures', the fixtures' in words)}. Nothing is changed (an editor may correct it)."""
        self.left += [f"{name} {what} (fixtures: {said})" for what, (now, then, said) in values.items() if now != then]

    def ref(self, model, entry):
        """The record this run found or made for another entry; None if an editor deleted it."""
        return self.found[f"{model._meta.model_name} {entry}"]

    def refs(self, model, entries):
        """The records this run found or made for these entries, but for those an editor deleted."""
        return [obj for obj in (self.ref(model, entry) for entry in entries) if obj is not None]

    @transaction.atomic
    def run(self):
        self.load_actors()
        self.load_themes()
        report = read_fixture(self.folder, "meeting.json")
        meeting = self.load_meeting(report)
        if meeting is not None:  # else deleted by an editor, and with it its sessions
            self.load_tracked(report, Recommendation, "recommendations.json", "outcome and recommendation")
            Recommendation.objects.filter(session__meeting=meeting, ordinal=0).renumber()
            self.load_tracked(report, FollowUpItem, "follow_up_items.json", "follow-up item")
            self.load_good_practices(report)
            self.load_contributions(report, meeting)
        return meeting

    def load_actors(self):
        new = []
        for row in read_fixture(self.folder, "actors.json"):
            fields = {k: row[k] for k in ("name", "short_name", "kind", "country", "notes")}
            actor, created = self.find_or_create(Actor, row["name"], fields, same=Q(name__iexact=row["name"]))
            if created:
                new.append((actor, row["members"]))
        for actor, members in new:
            actor.members.set(self.refs(Actor, members))

    def load_themes(self):
        for row in read_fixture(self.folder, "themes.json"):
            fields = {k: row[k] for k in ("slug", "name", "description")}
            self.find_or_create(Theme, row["slug"], fields, same=Q(name=row["name"]))

    def load_meeting(self, row):
        year = row["year"]
        fields = {k: row.get(k, "") for k in ("year", "edition", "title", "theme", "city", "country", "chair",
                                               "next_chair", "handover")}
        dates = {k: datetime.date.fromisoformat(row[k]) for k in ("start_date", "end_date")}
        lines = {k: row.get(k) for k in ("next_chair_line", "handover_line")}  # where the handover's words are
        chairs = {"chair_country": self.ref(Actor, row["chair_country"]),
                  "next_chair_country": self.ref(Actor, row["next_chair_country"]) if row.get("next_chair_country")
                  else None}
        meeting, created = self.find_or_create(Meeting, year, {**fields, **dates, **lines, **chairs})
        if meeting is None:
            return None
        if not created:  # an earlier version left the handover's lines empty
            self.compare(f"meeting {year}", {what.replace("_", " "): (getattr(meeting, what), line, line)
                                             for what, line in lines.items()})
        for rt in row["roundtables"]:
            fields = {"meeting": meeting, **{k: rt[k] for k in ("number", "title", "coordinator", "rapporteurs")}}
            self.find_or_create(Roundtable, f"{year}/{rt['number']}", fields)
        self.load_sessions(meeting, year, row["sessions"])
        return meeting

    def load_sessions(self, meeting, year, rows):
        """`year` is the report's, by which the seed names its records (an editor may change the meeting's)."""
        for s in rows:
            fields = {k: s[k] for k in ("code", "title", "kind", "position", "chaired_by", "rapporteurs",
                                        "outcomes_intro")}
            roundtable = self.ref(Roundtable, f"{year}/{s['roundtable']}") if s["roundtable"] else None
            session, created = self.find_or_create(
                Session, f"{year}/{s['code']}", {**fields, "meeting": meeting, "roundtable": roundtable})
            if created:
                SessionParticipant.objects.bulk_create(
                    SessionParticipant(session=session, actor=actor, role=role, position=i)
                    for role, names in s["participants"].items()
                    for i, actor in enumerate(self.refs(Actor, names))
                )

    def load_tracked(self, report, model, fixture, item_kind):
        year = report["year"]
        at = datetime.datetime.combine(datetime.date.fromisoformat(report["end_date"]), SEED_TIME)
        for row in read_fixture(self.folder, fixture):
            session = self.ref(Session, f"{year}/{row['session']}")
            if session is None:
                continue  # the session was deleted: not its items either
            fields = {"session": session, **{k: row[k] for k in ("number", "title", "text", "status")},
                      **due_fields(row)}
            entry = f"{year}/{row['session']}/{row['number']}"
            item, created = self.find_or_create(model, entry, fields)
            if item is not None and not created:
                self.compare(f"{kind_name(model)} {entry}", seeded_values(item, row, at))
            if created:
                item.themes.set(self.refs(Theme, row["themes"]))
                item.responsible_actors.set(self.refs(Actor, row["responsible_actors"]))
                status = status_note(item.get_status_display(), row)
                note = seed_note(item_kind, session, row["number"], status) + source_note(row)
                item.start_timeline(note=note, at=at, public=True)  # the report's own words: public
                self.load_later(item, row, item_kind)

    @staticmethod
    def load_later(item, row, item_kind):
        """Each event the report dates after the meeting: an entry of its own, dated as precisely as the report
        dates it (noon UTC on the first day of its month or year), written when the seed creates the item;
        public, as the report's own words are."""
        for event in row.get("later", []):
            first, precision = dates.parse(event["date"])
            note = later_note(item_kind, item.session, row["number"], event)
            item.record_update(by=None, note=note, at=dates.noon(first), at_precision=precision,
                               status=event["status"], public=True)

    def load_good_practices(self, report):
        year = report["year"]
        for position, row in enumerate(read_fixture(self.folder, "good_practices.json")):
            session = self.ref(Session, f"{year}/{row['session']}")
            if session is None:
                continue
            # Named by its text, which may be long: a digest of it.
            digest = hashlib.sha256(row["text"].encode()).hexdigest()[:16]
            entry = f"{year}/{row['session']}/{digest}"
            fields = {"session": session, "text": row["text"], "position": position, "source_line": row.get("line")}
            practice, created = self.find_or_create(GoodPractice, entry, fields)
            if created:
                practice.actors.set(self.refs(Actor, row["actors"]))
            if practice is not None:
                self.add_links(practice, entry, row.get("added_actors", []), created)

    def add_links(self, practice, entry, names, created):
        """Links to actors that an earlier version of the seed did not make (`added_actors`): made once, on
        the practice's creation or on the first run that finds it, and remembered; a link an editor removed
        since is not made again. The earlier version's own links (`actors`) are never touched on a record
        it made: a missing one was removed by an editor."""
        for name in names:
            key = f"goodpractice-actor {entry}/{name}"
            actor = self.ref(Actor, name)
            if actor is None or self.records.objects.filter(key=key).exists():
                continue
            if not created and not practice.actors.filter(pk=actor.pk).exists():
                self.created["good practice links"] += 1
            practice.actors.add(actor)
            self.records.objects.create(key=key)

    def load_contributions(self, report, meeting):
        """The donors and organisers the report names: an actor of actors.json by its name, or one named only
        here (its fields), made here once. An actor's second row in one role is named by its line too."""
        actor_fields = ("name", "short_name", "kind", "country", "notes")
        named = set()
        for row in report.get("contributions", []):
            if isinstance(row["actor"], str):
                name, actor = row["actor"], self.ref(Actor, row["actor"])
            else:
                name = row["actor"]["name"]
                actor, _ = self.find_or_create(Actor, name, {k: row["actor"][k] for k in actor_fields},
                                               same=Q(name__iexact=name))
            entry = f"{report['year']}/{row['role']}/{name}"
            entry += f"/line {row['source_line']}" if entry in named else ""
            named.add(entry)
            if actor is None:
                continue  # deleted by an editor
            fields = {"meeting": meeting, "actor": actor,
                      **{k: row[k] for k in ("role", "description", "source_line")}}
            self.find_or_create(MeetingContribution, entry, fields)

    @transaction.atomic
    def load_lineage(self, meeting):
        """The lineage the report states (`lineage.json`: README, "The data"), once the items at both ends were
        found or made; an entry names them as the seed does ("project <title>", "recommendation 2010/3.1/3"),
        projects included (found by the ProjectSeeder, in this seeder's `found`)."""
        if meeting is None or not (self.folder / "lineage.json").is_file():
            return
        for row in read_fixture(self.folder, "lineage.json"):
            item = self.found[f"{row['item']['model']} {row['item']['entry']}"]
            target = self.found[f"{row['target']['model']} {row['target']['entry']}"] if row.get("target") else None
            if item is None or (row.get("target") and target is None):
                continue  # an editor deleted an item at one end
            to = row["target"]["entry"] if row.get("target") else row["reference"]["words"]
            digest = hashlib.sha256(to.encode()).hexdigest()[:16]
            self.find_or_create(Lineage, f"{row['item']['model']} {row['item']['entry']}/{row['kind']}/{digest}",
                                lineage_fields(row, item, target))


def lineage_fields(row, item, target):
    reference = row.get("reference") or {}
    return {"kind": row["kind"], "item_type": ContentType.objects.get_for_model(item), "item_id": item.pk,
            "target_type": target and ContentType.objects.get_for_model(target), "target_id": target and target.pk,
            "reference_source": reference.get("source", ""), "reference_part": reference.get("part", ""),
            "reference_words": reference.get("words", ""), "sentence": row["sentence"], "line": row["line"]}
