"""Load the PfP projects of a meeting's fixtures folder, idempotently (see recommendations.seed)."""

import datetime

from django.db import transaction

from recommendations.models import Actor, Recommendation, Session, Theme
from recommendations.seed import SEED_TIME, Seeder, quoted, read_fixture, seeded_values, status_note

from .models import Project, ProjectConcern, ProjectPartner, ProjectSeedRecord, Stage


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
                project.start_timeline(note=self.note(meeting, project, row), at=at, public=True)
            elif project is not None and (values := seeded_values(project, row, at)):
                stage = (project.stage, row["stage"], Stage(row["stage"]).label.lower())
                self.compare(f"project {row['title']}", {**values, "stage": stage})

    @staticmethod
    def note(meeting, project, row):
        """Where the project comes from, and the report's sentence behind its status, its stage and each
        recommendation it is linked to (README, "The data")."""
        parts = [f"Seeded from the report of GFMD {meeting.year} ({meeting.city}): PfP kick-off project."
                 + status_note(project.get_status_display(), row),
                 quoted(f"Stage {project.get_stage_display().lower()}", row["stage_source"], row["stage_line"])]
        parts += [quoted(f"Serves {ref}", source["quote"], source["line"])
                  for ref, source in row["recommendation_sources"].items()]
        return " ".join(parts)

    @staticmethod
    def partner_note(partner):
        source = partner.get("source")
        return quoted("Role", source["quote"], source["line"]) if source else ""

    def relate(self, project, row, year):
        project.themes.set(self.refs(Theme, row["themes"]))
        project.responsible_actors.set(self.refs(Actor, row["responsible_actors"]))
        project.recommendations.set(self.refs(Recommendation, [f"{year}/{ref}" for ref in row["recommendations"]]))
        partners = ProjectPartner.objects.bulk_create(
            ProjectPartner(project=project, actor=actor, role=p["role"], note=self.partner_note(p))
            for p in row["partners"] for actor in self.refs(Actor, [p["actor"]])
        )
        ProjectConcern.objects.bulk_create(
            ProjectConcern(project=project, kind=c["kind"], text=c["text"], position=i)
            for i, c in enumerate(row["concerns"])
        )
        self.created["project partners"] += len(partners)
        self.created["project concerns"] += len(row["concerns"])
