"""PostgreSQL only: a speaker's quotes newest first (``Quote.objects.search`` reads a
speaker's newest quotes). SQLite's index on speaker_id holds them in rowid order
already, and a second index there, without statistics, misleads its planner."""

from django.db import migrations

CREATE = "CREATE INDEX quote_by_speaker ON summit_quote (speaker_id, id DESC)"
DROP = "DROP INDEX quote_by_speaker"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0010_content_change"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
