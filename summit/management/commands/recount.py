"""python manage.py recount [--quotations] — recount the quotes and mentions kept on
speakers and articles; with --quotations, group every quote into quotations first."""

from django.core.management.base import BaseCommand
from django.db import transaction

from summit.services.counters import counts_recompute
from summit.services.quotations import quotations_rebuild


class Command(BaseCommand):
    help = (
        "Recount every speaker's quotes and mentions and every article's quotes and "
        "speakers (they are kept up to date as annotations change; this is for rows "
        "written by other means). --quotations: first group every quote into quotations "
        "afresh (once after upgrading to quotation groups, or after a bulk load)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quotations", action="store_true", help="Group every quote afresh first."
        )

    def handle(self, *args, quotations, **options):
        with transaction.atomic():
            if quotations:
                made = quotations_rebuild()
                if options["verbosity"] > 0:
                    self.stdout.write(f"{made['quotes']} quotes in {made['groups']} quotations.")
            counts_recompute()
        if options["verbosity"] > 0:
            self.stdout.write("Counts recomputed.")
