from django.db import migrations


def forget_kept_figures(apps, schema_editor):
    """Kept rows written before they held their activity's parts (``activity_parts``),
    which a period adds up from its kept months: computed again at their next read."""
    apps.get_model("reporting", "KeptFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0007_kept_figures")]

    operations = [migrations.RunPython(forget_kept_figures, migrations.RunPython.noop)]
