from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def backfill(apps, schema_editor):
    """Items seeded before last_update_at existed: take it from their timelines."""
    for model_name, update_name in (("Recommendation", "RecommendationUpdate"), ("FollowUpItem", "FollowUpItemUpdate")):
        model = apps.get_model("recommendations", model_name)
        updates = apps.get_model("recommendations", update_name)
        latest = updates.objects.filter(item=OuterRef("pk")).values("item").annotate(m=Max("created_at")).values("m")
        model.objects.filter(last_update_at=None).update(last_update_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_last_update_at")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
