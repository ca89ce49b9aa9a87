"""Speakers found by any run of the letters of their name (spaces left out) through an
index on both databases: a trigram index on PostgreSQL, an FTS5 trigram table on SQLite
(``summit.search``). Seconds on 200,000 speakers."""

from django.db import migrations

from summit.search import create_speaker_index, drop_speaker_index


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0027_paragraph_author_index"),
    ]

    operations = [migrations.RunPython(create_speaker_index, drop_speaker_index)]
