"""Load the PfP projects of a meeting's fixtures folder, idempotently (see recommendations.seed)."""

import datetime

from django.db import transaction

from recommendations.models import Recommendation, Theme
from recommendations.seed import SEED_TIME, Seeder, read_fixture

from .models import Project, ProjectConcern, ProjectPartner


class ProjectSeeder(Seeder):
    @transaction.atomic
    def run(self, meeting):
        at = datetime.datetime.combine(meeting.end_date, SEED_TIME)
        for row in read_fixture(self.folder, "projects.json"):
            fields = ("description", "origin", "stage", "status")
            project, created = self.get_or_create(
                Project, {"title": row["title"]},
                {**{k: row[k] for k in fields}, "session": meeting.sessions.get(code=row["session"])},
            )
            if created:
                self.relate(project, row, meeting)
                note = f"Seeded from the report of GFMD {meeting.year} ({meeting.city}): PfP kick-off project."
                project.start_timeline(note=f"{note} Status as of the report: {row['status_source']}", at=at)

    def relate(self, project, row, meeting):
        project.themes.set(Theme.objects.filter(slug__in=row["themes"]))
        project.responsible_actors.set([self.actor(name) for name in row["responsible_actors"]])
        project.recommendations.set([
            Recommendation.objects.get_by_natural_key(meeting.year, *ref.split("/")) for ref in row["recommendations"]
        ])
        ProjectPartner.objects.bulk_create(
            ProjectPartner(project=project, actor=self.actor(p["actor"]), role=p["role"]) for p in row["partners"]
        )
        ProjectConcern.objects.bulk_create(
            ProjectConcern(project=project, kind=c["kind"], text=c["text"], position=i)
            for i, c in enumerate(row["concerns"])
        )
        self.created["project partners"] += len(row["partners"])
        self.created["project concerns"] += len(row["concerns"])
