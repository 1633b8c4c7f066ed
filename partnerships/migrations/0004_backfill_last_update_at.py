from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def backfill(apps, schema_editor):
    Project = apps.get_model("partnerships", "Project")
    ProjectUpdate = apps.get_model("partnerships", "ProjectUpdate")
    latest = ProjectUpdate.objects.filter(item=OuterRef("pk")).values("item").annotate(m=Max("created_at")).values("m")
    Project.objects.filter(last_update_at=None).update(last_update_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_last_update_at")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
