from django.db import migrations

from cases.reference import PPKS_CATEGORIES


def load_categories(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for code, name, name_en in PPKS_CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
