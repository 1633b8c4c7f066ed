"""Synthetic data at the scale of the largest recommendation databases, for benchmarks.

`DJANGO_SETTINGS_MODULE=tools.settings python manage.py generate_scale_data --size large`
builds 20 meetings, 3,000 sessions, 300,000 recommendations with 1,500,000 timeline entries
(skewed: most items have a few, some hundreds; one has exactly 500), half of them with 1–5 actions
(scale_actions.py), 500 users and 5,000 PfP projects with partners. The same seed gives the same
data. Rows go in through COPY on PostgreSQL (bulk inserts elsewhere), in batches, so memory stays
flat whatever the size.

Every generated item is consistent with the rules: its timeline walks the allowed
transitions, and its status, progress, owner and last_update_at are its timeline's last.
"""

import datetime
import itertools
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from partnerships.models import Project, ProjectPartner, ProjectUpdate, Stage
from recommendations.models import (
    ORDINAL_SESSION,
    ORDINAL_YEAR,
    TRANSITIONS,
    Actor,
    FollowUpItem,
    Meeting,
    Recommendation,
    RecommendationUpdate,
    Roundtable,
    Session,
    SessionParticipant,
    Status,
    Theme,
)
from tools.scale_actions import ActionsGenerator

# The synthetic meetings are held one a year before the Forum's first (Brussels, 2007): they
# never take the year of a real meeting, and every timeline lies in the past (meetings after
# 2010 ran into the future, with updates dated years ahead).
FIRST_YEAR, LAST_YEAR = 1987, 2006
SYNTHETIC_YEARS = (FIRST_YEAR, LAST_YEAR)  # for `year__range`

WORDS = (
    "migration development partnership governments migrants diaspora labour mobility recruitment costs remittances "
    "protection human rights irregular regular circular temporary return reintegration family children gender women "
    "health social security pensions portability skills recognition training data profiles census survey indicators "
    "impact assessment policy coherence mainstreaming planning climate change environmental displacement adaptation "
    "regional consultative processes dialogue cooperation bilateral multilateral origin transit destination countries "
    "information campaigns perceptions xenophobia integration trafficking smuggling victims prosecution border "
    "management agreements implementation capacity building institutions civil society private sector employers "
    "unions workers domestic visas residence citizenship regularization detention alternatives access services "
    "education housing justice evidence research evaluation monitoring guidelines framework platform forum support "
    "unit steering group chair team report workshop meeting study handbook network database library clearing house"
).split()



def _vocabulary():
    """The domain's words, then invented ones, in a fixed order of frequency (Zipf's law), so
    that a text search finds a realistic few rows rather than most of them."""
    rng = random.Random(0)
    base = list(dict.fromkeys(WORDS))
    rng.shuffle(base)
    syllables = "ka lo mi ra te su no vi de ba ro li ne ta po gu fe ri sa mo".split()
    invented = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8_000)} - set(base))
    rng.shuffle(invented)
    return base + invented[:4_000]


VOCABULARY = _vocabulary()
FREQUENCIES = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
# A search a user might run: two words of middling frequency.
SEARCH_QUERY = f"{VOCABULARY[70]} {VOCABULARY[90]}"

SIZES = {
    "small": dict(meetings=2, sessions=20, recommendations=500, updates=2_500, users=20, projects=20),
    "medium": dict(meetings=10, sessions=300, recommendations=30_000, updates=150_000, users=100, projects=500),
    "large": dict(meetings=20, sessions=3_000, recommendations=300_000, updates=1_500_000, users=500, projects=5_000),
    # On demand (`make bench SIZE="medium large xlarge"`), run once and recorded in docs/performance.md.
    "xlarge": dict(meetings=20, sessions=10_000, recommendations=1_000_000, updates=5_000_000, users=1_000,
                   projects=10_000),
}
HEAVY_ITEM_UPDATES = 500  # the first recommendation's timeline length, for the item-page benchmark
BATCH = 5_000
# Every fifth timeline entry is published, the first (the report's) among them: the public's lists and
# searches read a fifth of the notes.
PUBLIC_EVERY = 5


def latest_public(steps):
    """An item's latest public update and note, for a walk whose every PUBLIC_EVERY-th step is public."""
    when, *_, note = steps[(len(steps) - 1) // PUBLIC_EVERY * PUBLIC_EVERY]
    return {"last_public_update_at": when, "last_public_note": note}


@dataclass
class Counts:
    meetings: int
    sessions: int
    recommendations: int
    updates: int
    users: int
    projects: int


def table_rows(model, columns, rows):
    """Insert rows fast: COPY on PostgreSQL, executemany elsewhere."""
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", [
                [adapt(v) if isinstance(v, datetime.datetime) else v for v in row] for row in rows
            ])


@contextmanager
def derived_data_deferred():
    """Bulk loads go faster without the full-text indexes and the triggers that write the
    search documents row by row: the documents are written in one statement per table at the
    end, and the indexes rebuilt."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = sorted(model._meta.db_table for model in SEARCHED)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE %s",
            ["%\\_fts"],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    yield  # (inside the generator's transaction: if it fails, the triggers are back on with the rollback)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred foreign-key checks first
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        for model in SEARCHED:
            cursor.execute(search_documents_sql(model))
        for _, definition in indexes:
            cursor.execute(definition)


# The searched items: their documents as the triggers write them (migrations 0002_postgresql).
SEARCHED = (Recommendation, FollowUpItem, Project)


def search_documents_sql(model):
    """Every item's English search document written in one statement (the generated items have no translations:
    their translated documents stay null, as the triggers of the migrations 0014/0009_search_translations leave
    them)."""
    search = model._meta.get_field("search_document").related_model._meta.db_table
    columns = " || ' ' || ".join(f"COALESCE({model._meta.get_field(name).column}, '')" for name in model.search_fields)
    return (f"INSERT INTO {search} (item_id, document) "
            f"SELECT id, to_tsvector('english'::regconfig, {columns}) FROM {model._meta.db_table} "
            f"ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document")


class Generator(ActionsGenerator):
    latest_public = staticmethod(latest_public)

    def __init__(self, size="large", seed=2010, **overrides):
        self.size = Counts(**{**SIZES[size], **overrides})
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.log = print

    # --- text ------------------------------------------------------------------------------

    def words(self, low, high):
        return " ".join(self.rng.choices(VOCABULARY, cum_weights=FREQUENCIES, k=self.rng.randint(low, high)))

    def sentence(self, low, high):
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    # --- the data --------------------------------------------------------------------------

    @transaction.atomic
    def run(self):
        # (an older generator's meetings too: those were in 2011 and later)
        if Meeting.objects.filter(Q(year__range=SYNTHETIC_YEARS) | Q(edition__startswith="Synthetic")).exists():
            raise ValueError("Synthetic meetings exist already; use a fresh database.")
        if self.size.meetings > LAST_YEAR - FIRST_YEAR + 1:
            raise ValueError(f"At most {LAST_YEAR - FIRST_YEAR + 1} meetings ({FIRST_YEAR}–{LAST_YEAR}, one a year).")
        if not Theme.objects.exists():
            raise ValueError("There are no themes to link the items to: run `manage.py seed_gfmd` first.")
        self.users = self.make_users()
        self.actors = self.make_actors()
        self.themes = list(Theme.objects.values_list("pk", flat=True))
        sessions = self.make_sessions()
        with derived_data_deferred():
            self.make_recommendations(sessions)
            self.make_projects(sessions)
            self.log("rebuilding the full-text search documents and indexes")

    def make_users(self):
        User = get_user_model()
        staff = Group.objects.filter(name="staff").first()
        users = User.objects.bulk_create(
            User(username=f"scale-user-{i:04d}", password="!", email=f"user{i}@example.org", first_name="User",
                 last_name=f"{i:04d}")
            for i in range(self.size.users)
        )
        if staff:
            staff.user_set.add(*users)
        self.log(f"users: {len(users)}")
        return [u.pk for u in users]

    def make_actors(self):
        existing = set(Actor.objects.values_list("name", flat=True))
        Actor.objects.bulk_create(
            Actor(name=name, kind=Actor.Kind.GOVERNMENT, country=code) for code, name in countries
            if name not in existing
        )
        Actor.objects.bulk_create(
            Actor(name=f"{self.words(2, 3).title()} Organization {i}", kind=kind)
            for i, kind in enumerate([Actor.Kind.INTERNATIONAL_ORGANIZATION] * 40 + [Actor.Kind.CIVIL_SOCIETY] * 60)
        )
        actors = list(Actor.objects.values_list("pk", "kind"))
        self.heavy_actor = self.make_heavy_actor()  # out of the pools below: responsible for its share alone
        self.governments = [pk for pk, kind in actors if kind == Actor.Kind.GOVERNMENT]
        self.organizations = [pk for pk, kind in actors if kind == Actor.Kind.INTERNATIONAL_ORGANIZATION]
        self.log(f"actors: {len(actors)}")
        return [pk for pk, _ in actors]

    def make_sessions(self):
        per_meeting = self.size.sessions // self.size.meetings
        sessions = []
        for m in range(self.size.meetings):
            year = LAST_YEAR - self.size.meetings + 1 + m
            meeting = Meeting.objects.create(
                year=year, edition=f"Synthetic {m + 1}", title=f"Synthetic meeting {year}",
                theme=self.sentence(6, 12), city=self.words(1, 2).title(), country=self.rng.choice(countries).code,
                start_date=datetime.date(year, 11, 8), end_date=datetime.date(year, 11, 11), chair="Synthetic Chair",
            )
            roundtables = Roundtable.objects.bulk_create(
                Roundtable(meeting=meeting, number=n, title=self.sentence(5, 10), coordinator="Dr. Synthetic")
                for n in (1, 2, 3)
            )
            batch = Session.objects.bulk_create(
                Session(meeting=meeting, roundtable=roundtables[i % 3], code=f"{i % 3 + 1}.{i // 3 + 1}",
                        title=self.sentence(6, 14), position=(i % 3 + 1) * 1000 + i // 3)
                for i in range(per_meeting)
            )
            SessionParticipant.objects.bulk_create(
                SessionParticipant(session=s, actor_id=pk, role=role, position=i)
                for s in batch
                for role, pool, k in (
                    (SessionParticipant.Role.CO_CHAIR, self.governments, self.rng.randint(1, 3)),
                    (SessionParticipant.Role.TEAM_MEMBER, self.governments, self.rng.randint(5, 12)),
                    (SessionParticipant.Role.INTERNATIONAL_ORGANIZATION, self.organizations, self.rng.randint(1, 4)),
                )
                for i, pk in enumerate(self.rng.sample(pool, k))
            )
            sessions.extend(batch)
        self.log(f"meetings: {self.size.meetings}, sessions: {len(sessions)}")
        return sessions

    def timeline_lengths(self, n, total):
        """How many entries each of n items gets: at least one, skewed (a few have hundreds),
        the first exactly HEAVY_ITEM_UPDATES, summing to `total` (when total allows)."""
        if n == 0:
            return []
        heavy = min(HEAVY_ITEM_UPDATES, max(1, total - (n - 1)))
        weights = [min(self.rng.paretovariate(1.2), 400.0) for _ in range(n - 1)]
        extra = max(0, total - heavy - (n - 1))
        scale = extra / sum(weights) if weights else 0
        lengths = [1 + int(w * scale) for w in weights]
        for i in self.rng.sample(range(len(lengths)), min(len(lengths), total - heavy - sum(lengths))):
            lengths[i] += 1  # hand out what int() rounded away
        lengths.insert(0, heavy)
        self.log(f"timeline entries: {sum(lengths):,}")
        return lengths

    def walk(self, start, length):
        """A timeline that follows the rules: (when, status_before, status_after, progress_before,
        progress_after, note)."""
        status, progress, when = Status.NOT_STARTED, 0, start
        span = max((self.now - start).total_seconds(), 3600)
        steps = [(when, "", status, None, 0)]
        for _ in range(length - 1):
            when = when + datetime.timedelta(seconds=self.rng.uniform(0, 2 * span / length))
            when = min(when, self.now)
            if self.rng.random() < 0.3 and TRANSITIONS[status]:
                new = self.rng.choice(sorted(TRANSITIONS[status]))
                steps.append((when, status, new, None, None))
                status = new
            elif self.rng.random() < 0.4 and progress < 100:
                new = min(100, progress + self.rng.randint(5, 25))
                steps.append((when, "", "", progress, new))
                progress = new
            else:
                steps.append((when, "", "", None, None))
        # Each entry's note: the item keeps its latest (last_note) from the start.
        return [(*step, self.sentence(8, 40)) for step in steps], status, progress

    def make_recommendations(self, sessions):
        per_session = self.size.recommendations // len(sessions)
        lengths = iter(self.timeline_lengths(per_session * len(sessions), self.size.updates))
        written = actions = 0
        for first in range(0, len(sessions), max(1, BATCH // per_session)):
            chunk = sessions[first:first + max(1, BATCH // per_session)]
            items, walks = [], []
            for session in chunk:
                start = timezone.make_aware(datetime.datetime.combine(session.meeting.end_date, datetime.time(12)))
                for number in range(1, per_session + 1):
                    steps, status, progress = self.walk(start, next(lengths))
                    walks.append(steps)
                    items.append(Recommendation(
                        session=session, number=number, title=self.words(4, 9).capitalize(),
                        ordinal=session.meeting.year * ORDINAL_YEAR + session.position * ORDINAL_SESSION + number,
                        text=self.sentence(25, 90), status=status, progress=progress,
                        owner_id=self.rng.choice(self.users) if self.rng.random() < 0.7 else None,
                        due_date=(start + datetime.timedelta(days=self.rng.randint(180, 1500))).date()
                        if self.rng.random() < 0.4 else None,
                        last_update_at=steps[-1][0], last_note=steps[-1][5], version=len(steps),
                        last_report_at=steps[-1][0] if len(steps) > 1 else None,  # the first opened it
                        **latest_public(steps),
                    ))
            Recommendation.objects.bulk_create(items, batch_size=BATCH)
            self.write_timeline(RecommendationUpdate, items, walks)
            self.write_tags(Recommendation, items)
            actions += self.make_actions(items, walks)
            written += len(items)
            self.log(f"recommendations: {written:,}, actions: {actions:,}")

    def write_timeline(self, update_model, items, walks, extra=()):
        columns = ["item", "author", "created_at", "note", "status_before", "status_after",
                   "progress_before", "progress_after", "evidence_url", "is_public", *extra]
        rows = (
            (item.pk, item.owner_id, when, note, before, after, p_before, p_after, "", i % PUBLIC_EVERY == 0,
             *([""] * len(extra)))
            for item, steps in zip(items, walks)
            for i, (when, before, after, p_before, p_after, note) in enumerate(steps)
        )
        table_rows(update_model, columns, rows)

    def write_tags(self, model, items):
        themes = model.themes.through
        actors = model.responsible_actors.through
        fk = model._meta.model_name
        table_rows(themes, [fk, "theme"], (
            (item.pk, theme) for item in items for theme in self.rng.sample(self.themes, self.rng.randint(1, 3))
        ))
        table_rows(actors, [fk, "actor"], (
            (item.pk, actor) for item in items for actor in self.responsible(model, item)
        ))

    def make_projects(self, sessions):
        rec_ids = list(Recommendation.objects.filter(session__in=sessions[:50]).values_list("pk", flat=True))
        items, walks = [], []
        for i in range(self.size.projects):
            session = self.rng.choice(sessions)
            start = timezone.make_aware(datetime.datetime.combine(session.meeting.end_date, datetime.time(12)))
            steps, status, progress = self.walk(start, self.rng.randint(1, 12))
            walks.append(steps)
            items.append(Project(
                title=f"{self.words(3, 8).capitalize()} ({i})", description=self.sentence(40, 150),
                origin=self.sentence(4, 10), session=session, stage=self.rng.choice(Stage.values), status=status,
                progress=progress, owner_id=self.rng.choice(self.users), last_update_at=steps[-1][0],
                last_report_at=steps[-1][0] if len(steps) > 1 else None,
                last_note=steps[-1][5], version=len(steps), **latest_public(steps),
            ))
        Project.objects.bulk_create(items, batch_size=BATCH)
        self.write_timeline(ProjectUpdate, items, walks, extra=("stage_before", "stage_after"))
        self.write_tags(Project, items)
        ProjectPartner.objects.bulk_create(
            ProjectPartner(project=p, actor_id=a, role=self.rng.choice(ProjectPartner.Role.values))
            for p in items for a in self.rng.sample(self.actors, self.rng.randint(2, 6))
        )
        links = Project.recommendations.through
        table_rows(links, ["project", "recommendation"], (
            (p.pk, r) for p in items for r in self.rng.sample(rec_ids, min(len(rec_ids), self.rng.randint(1, 3)))
        ))
        self.log(f"projects: {len(items):,}")
