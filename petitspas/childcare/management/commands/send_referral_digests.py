from django.conf import settings
from django.core.management.base import BaseCommand

from petitspas.childcare.emails import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Envoie à chaque prescripteur le point hebdomadaire des orientations de son "
        "organisation (en cours, ou changées dans les 7 derniers jours). À lancer chaque "
        "semaine par cron ; SITE_URL donne le début des liens."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Adresse du site pour les liens (par défaut : le réglage SITE_URL).",
        )

    def handle(self, *args, site_url="", **options):
        if not site_url:
            self.stderr.write(
                "Attention : SITE_URL est vide, les liens des courriels seront relatifs."
            )
        sent = send_weekly_digests(site_url=site_url)
        self.stdout.write(
            f"{sent} courriel{'s' if sent > 1 else ''} envoyé{'s' if sent > 1 else ''}."
        )
