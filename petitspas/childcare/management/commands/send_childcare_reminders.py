import datetime

from django.core.management.base import BaseCommand, CommandError

from petitspas.childcare.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Envoie aux parents le rappel des demi-journées d'accueil réservées pour demain "
        "(date, horaires, lieu du jour). À lancer chaque jour par cron ; un rappel déjà "
        "envoyé ne l'est jamais deux fois. Canaux : réglage CHILDCARE_REMINDER_CHANNELS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jour",
            help="Jour des demi-journées à rappeler, AAAA-MM-JJ (par défaut : demain).",
        )

    def handle(self, *args, jour=None, **options):
        day = None
        if jour:
            try:
                day = datetime.date.fromisoformat(jour)
            except ValueError:
                raise CommandError(f"Date illisible : « {jour} » (attendu : AAAA-MM-JJ).") from None
        run = send_reminders(day=day)
        self.stdout.write(
            f"Rappels envoyés : {run.sent} ; déjà envoyés : {run.already_sent} ; "
            f"sans coordonnées : {run.no_contact} ; demi-journées fermées : {run.closed} ; "
            f"échecs : {run.failed}."
        )
        if run.failed:
            raise CommandError(f"{run.failed} rappel(s) n'ont pas pu partir : relancez plus tard.")
