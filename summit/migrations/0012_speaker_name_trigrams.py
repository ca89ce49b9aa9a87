"""PostgreSQL only: a trigram index on speakers' normalised names, so that finding the
speakers whose name contains a reader's words reads the index, not every speaker."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX speaker_name_key_trigrams ON summit_speaker USING GIN (name_key gin_trgm_ops)"
DROP = "DROP INDEX speaker_name_key_trigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0011_quote_by_speaker_index"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
