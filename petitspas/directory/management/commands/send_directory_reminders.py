from django.conf import settings
from django.core.management.base import BaseCommand

from petitspas.directory.freshness import send_reminders


class Command(BaseCommand):
    help = (
        "Envoie à chaque partenaire la liste de ses fiches de l'annuaire à actualiser "
        "(non confirmées depuis six mois). À lancer une fois par mois (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", "") or "http://localhost:8000",
            help="Adresse du site, pour les liens des courriels.",
        )

    def handle(self, *args, base_url, **options):
        sent, listed = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} courriel(s) envoyé(s), {listed} fiche(s) à vérifier.")
