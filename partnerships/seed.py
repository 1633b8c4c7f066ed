"""Load the PfP projects of a meeting's fixtures folder, idempotently (see recommendations.seed)."""

import datetime

from django.db import transaction

from recommendations.models import Actor, Recommendation, Session, Theme
from recommendations.seed import SEED_TIME, Seeder, read_fixture

from .models import Project, ProjectConcern, ProjectPartner, ProjectSeedRecord


class ProjectSeeder(Seeder):
    records = ProjectSeedRecord
    natural_keys = {Project: ("title",)}

    @transaction.atomic
    def run(self, meeting, found):
        """`found`: what the meeting's Seeder found (its actors, themes, sessions and recommendations)."""
        self.found = found
        if meeting is None:
            return  # deleted by an editor: its projects are not brought back either
        report = read_fixture(self.folder, "meeting.json")
        at = datetime.datetime.combine(datetime.date.fromisoformat(report["end_date"]), SEED_TIME)
        for row in read_fixture(self.folder, "projects.json"):
            fields = {k: row[k] for k in ("title", "description", "origin", "stage", "status")}
            session = self.ref(Session, f"{report['year']}/{row['session']}")
            project, created = self.find_or_create(Project, row["title"], {**fields, "session": session})
            if created:
                self.relate(project, row, report["year"])
                note = f"Seeded from the report of GFMD {meeting.year} ({meeting.city}): PfP kick-off project."
                project.start_timeline(note=f"{note} Status as of the report: {row['status_source']}", at=at)

    def relate(self, project, row, year):
        project.themes.set(self.refs(Theme, row["themes"]))
        project.responsible_actors.set(self.refs(Actor, row["responsible_actors"]))
        project.recommendations.set(self.refs(Recommendation, [f"{year}/{ref}" for ref in row["recommendations"]]))
        partners = ProjectPartner.objects.bulk_create(
            ProjectPartner(project=project, actor=actor, role=p["role"])
            for p in row["partners"] for actor in self.refs(Actor, [p["actor"]])
        )
        ProjectConcern.objects.bulk_create(
            ProjectConcern(project=project, kind=c["kind"], text=c["text"], position=i)
            for i, c in enumerate(row["concerns"])
        )
        self.created["project partners"] += len(partners)
        self.created["project concerns"] += len(row["concerns"])
