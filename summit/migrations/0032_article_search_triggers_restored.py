"""Repairs a database that applied 0030 as it first landed: that version also dropped the
index of ``Article.copy_of``, which SQLite does by rebuilding the table, and the rebuild
dropped the triggers that keep the titles' full-text index (``summit.search``). Puts back
the triggers (and re-reads every title into the index) and the foreign key's index where
they are missing; on any other database it changes nothing."""

from django.db import migrations

from summit.search import SQLITE_CREATE

ARTICLE_TRIGGERS = [
    sql.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1)
    for sql in SQLITE_CREATE
    if sql.startswith("CREATE TRIGGER summit_article_fts_")
]
REBUILD = "INSERT INTO summit_article_fts(summit_article_fts) VALUES ('rebuild')"
COPY_OF_INDEX = (
    "CREATE INDEX IF NOT EXISTS summit_article_copy_of_id_28281ff0 ON summit_article (copy_of_id)"
)


def restore(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'summit_article_fts_%'"
            )
            missing = cursor.fetchone()[0] < len(ARTICLE_TRIGGERS)
        if missing:
            for sql in ARTICLE_TRIGGERS:
                schema_editor.execute(sql)
            schema_editor.execute(REBUILD)
    if connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute(COPY_OF_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0031_worker_beat"),
    ]

    operations = [
        migrations.RunPython(restore, migrations.RunPython.noop),
    ]
