from django.db import migrations

# DESIGN.md, "Escalation (defaults; editable by admins)".
DEFAULTS = {
    "critical": (30, 24 * 60),
    "high": (2 * 60, 3 * 24 * 60),
    "medium": (8 * 60, 7 * 24 * 60),
    "low": (24 * 60, 14 * 24 * 60),
}


def load_defaults(apps, schema_editor):
    SlaPolicy = apps.get_model("escalation", "SlaPolicy")
    for severity, (ack_minutes, resolve_minutes) in DEFAULTS.items():
        if not SlaPolicy.objects.filter(severity=severity, category__isnull=True).exists():
            SlaPolicy.objects.create(severity=severity, ack_minutes=ack_minutes, resolve_minutes=resolve_minutes)


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
