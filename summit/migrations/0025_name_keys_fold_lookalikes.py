"""Speakers', aliases' and tombstones' name keys computed again by today's
``normalise_name``, which drops invisible characters and folds look-alike letters
(NFKC and Unicode's confusable skeletons): "Dаn Lee" with a Cyrillic "а" now has the key
of "Dan Lee". An alias that becomes the same key as another of its speaker's is one name
written twice: the later one is dropped."""

from django.db import migrations

BATCH = 2000


def fold_keys(apps, schema_editor):
    from summit.models import normalise_name

    for model in ("Speaker", "SpeakerTombstone", "SpeakerAlias"):
        rows = apps.get_model("summit", model).objects.order_by("pk")
        changed, seen, twice = [], set(), []
        for row in rows.iterator(chunk_size=BATCH):
            key = normalise_name(row.name)
            if model == "SpeakerAlias":
                if (row.speaker_id, key) in seen:
                    twice.append(row.pk)
                    continue
                seen.add((row.speaker_id, key))
            if key != row.name_key:
                row.name_key = key
                changed.append(row)
        if twice:
            rows.filter(pk__in=twice).delete()
        rows.model.objects.bulk_update(changed, ["name_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0024_speaker_merge_outlives_target"),
    ]

    operations = [
        migrations.RunPython(fold_keys, migrations.RunPython.noop),
    ]
