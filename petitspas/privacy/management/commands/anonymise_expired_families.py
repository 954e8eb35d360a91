"""Anonymise the family files past their retention period (CNIL: 2 years after the last
contact by default, ``FAMILY_RETENTION_MONTHS``), and erase the requests for a place made
from the agenda once their session is ``PLACE_REQUEST_RETENTION_DAYS`` past, and the
childcare referrals refused or ended without a family file ``REFERRAL_RETENTION_MONTHS``
after that decision. Run it daily from the scheduler."""

from django.conf import settings
from django.core.management.base import BaseCommand

from petitspas.privacy.services import (
    households_anonymise_past_retention,
    households_past_retention,
    place_requests_purge,
    referrals_anonymise_past_retention,
    referrals_past_retention,
)


class Command(BaseCommand):
    help = "Anonymise family files whose last contact is older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the files, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        months = settings.FAMILY_RETENTION_MONTHS
        if dry_run:
            count = households_past_retention().count()
            self.stdout.write(f"{count} famille(s) à anonymiser (dernier contact > {months} mois).")
            referrals = referrals_past_retention().count()
            self.stdout.write(f"{referrals} orientation(s) refusée(s) ou terminée(s) à anonymiser.")
            return
        count = households_anonymise_past_retention()
        self.stdout.write(f"{count} famille(s) anonymisée(s) (dernier contact > {months} mois).")
        erased = place_requests_purge()
        self.stdout.write(f"{erased} demande(s) de place effacée(s).")
        referrals = referrals_anonymise_past_retention()
        self.stdout.write(f"{referrals} orientation(s) refusée(s) ou terminée(s) anonymisée(s).")
