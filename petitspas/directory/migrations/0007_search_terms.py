"""The search's inverted index (``ServiceTerm``, ``SearchWord``), filled from every
service's search columns; on PostgreSQL, the trigram index that the search's ``LIKE`` read
before is dropped: nothing reads it any more, and every write of a service paid for it."""

import django.db.models.deletion
from django.db import migrations, models

from petitspas.directory.terms import write_terms

TRIGRAM_INDEX = "directory_service_search_index_trgm"  # made by 0006
BATCH = 2_000


def fill(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    models_ = {
        "term_model": apps.get_model("directory", "ServiceTerm"),
        "word_model": apps.get_model("directory", "SearchWord"),
    }
    columns = ("search_index", "tags", "place_latitude", "place_longitude")
    services = Service.objects.only(*columns).order_by("pk")
    last = 0
    while batch := list(services.filter(pk__gt=last)[:BATCH]):
        write_terms(batch, **models_)
        last = batch[-1].pk


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def make_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON directory_service "
            "USING gin (search_index gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_service_place_and_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.TextField(unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="ServiceTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.TextField()),
                ("place_latitude", models.FloatField(null=True)),
                ("place_longitude", models.FloatField(null=True)),
                (
                    "service",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_terms",
                        to="directory.service",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["term", "place_latitude", "place_longitude", "service"],
                        name="service_term_place",
                    ),
                    models.Index(fields=["service"], name="service_term_service"),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(drop_trigram_index, make_trigram_index),
    ]
