"""Where each service is placed for a "près de" search (its point, else its structure's,
and that point's unit vector), indexed for the bounding box; the search columns written
again, since the stemmer now takes a plural's "s" off first; on PostgreSQL, trigram
index (pg_trgm) so that the search's ``LIKE '% stem%'`` on the search column reads an
index instead of every row."""

from django.db import migrations, models

from petitspas.directory.search import service_index
from petitspas.directory.sphere import unit_vector
from petitspas.directory.text import index_text

# Not the tags: a theme's code shares most of its trigrams with every other, and reading
# their long lists costs more than checking the tags of the rows the other indexes keep.
TRIGRAM_INDEXES = {"directory_service_search_index_trgm": "search_index"}


def index_again(apps, schema_editor):
    Structure = apps.get_model("directory", "Structure")
    Service = apps.get_model("directory", "Service")
    structures = list(Structure.objects.all())
    for structure in structures:
        structure.search_name = index_text(structure.nom)
        structure.search_index = index_text(structure.nom, structure.description)
    Structure.objects.bulk_update(structures, ["search_name", "search_index"], batch_size=500)
    services = list(Service.objects.select_related("structure"))
    for service in services:
        service.search_name, service.search_index = service_index(service)
        lat, lon = service.latitude, service.longitude
        if lat is None or lon is None:
            lat, lon = service.structure.latitude, service.structure.longitude
        if lat is None or lon is None:
            continue
        service.place_latitude, service.place_longitude = float(lat), float(lon)
        service.place_x, service.place_y, service.place_z = unit_vector(float(lat), float(lon))
    fields = ["search_name", "search_index"]
    fields += ["place_latitude", "place_longitude", "place_x", "place_y", "place_z"]
    Service.objects.bulk_update(services, fields, batch_size=500)


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite scans the rows the place index keeps (docs/architecture.md)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON directory_service "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_diagnosis_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="place_latitude",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="service",
            name="place_longitude",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="service",
            name="place_x",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="service",
            name="place_y",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="service",
            name="place_z",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["place_latitude", "place_longitude"], name="service_place"),
        ),
        migrations.RunPython(index_again, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
