"""python manage.py recount — recount the quotes and mentions kept on speakers and articles."""

from django.core.management.base import BaseCommand
from django.db import transaction

from summit.services.counters import counts_recompute


class Command(BaseCommand):
    help = (
        "Recount every speaker's quotes and mentions and every article's quotes and "
        "speakers (they are kept up to date as annotations change; this is for rows "
        "written by other means)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            counts_recompute()
        if options["verbosity"] > 0:
            self.stdout.write("Counts recomputed.")
