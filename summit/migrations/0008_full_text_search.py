"""Full-text search indexes: FTS5 tables with triggers on SQLite, generated tsvector
columns with GIN indexes on PostgreSQL (see summit.search)."""

from django.db import migrations

from summit.search import create_index, drop_index


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0007_counters_and_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
