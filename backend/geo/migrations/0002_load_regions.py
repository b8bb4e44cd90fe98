from django.db import migrations

from geo.reference import REGIONS


def load_regions(apps, schema_editor):
    Region = apps.get_model("geo", "Region")
    for fact in REGIONS:
        Region.objects.update_or_create(
            code=fact.code,
            defaults={"name": fact.name, "type": fact.type, "label_lat": fact.label_lat, "label_lng": fact.label_lng},
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
