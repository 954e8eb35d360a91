import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from petitspas.demo.loader import DemoDataError, load_demo

REFUSED_WITHOUT_DEBUG = (
    "Refus : DEBUG est désactivé. La démonstration crée des comptes au mot de passe connu ; "
    "elle ne se charge pas sur un serveur de production par accident. Relancez avec DEBUG=1, "
    "ou avec --force si vous savez ce que vous faites."
)


class Command(BaseCommand):
    help = (
        "Charge ou rétablit le territoire de démonstration : cinq programmes, leurs lieux et "
        "horaires, et un compte par rôle. Relancer la commande ne crée pas de doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger même si DEBUG est désactivé (crée des comptes au mot de passe connu).",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="AAAA-MM-JJ",
            help=(
                "Dater les séances autour de ce jour plutôt qu'aujourd'hui (24 mois avant, "
                "3 mois après) : pour des captures ou des tests reproductibles."
            ),
        )

    def handle(self, *args, force=False, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        try:
            result = load_demo(today=today)
        except DemoDataError as exc:
            raise CommandError(f"Données de démonstration incohérentes : {exc}") from exc

        self.stdout.write(self.style.SUCCESS("Territoire de démonstration chargé."))
        width = max(len(label) for label in result.counts)
        digits = max(len(str(total)) for total, _ in result.counts.values())
        for label, (total, created) in result.counts.items():
            added = f"{created} ajout{'s' if created > 1 else ''}"
            self.stdout.write(f"  {label.ljust(width)}  {total:>{digits}}  ({added})")

        self.stdout.write("")
        self.stdout.write("Comptes de démonstration :")
        header = ("rôle", "adresse électronique", "mot de passe", "organisation")
        rows = [header] + [(a.role, a.email, a.password, a.organisations) for a in result.accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)] + [row[-1]]
            self.stdout.write("  " + "  ".join(cells))

        enrolled = [a for a in result.accounts if a.totp_secret]
        if enrolled:
            self.stdout.write("")
            self.stdout.write(
                "Double authentification : ces comptes demandent aussi un code à 6 chiffres."
            )
            self.stdout.write(
                "Ajoutez la clé dans une application d'authentification, ou calculez le code "
                "avec « oathtool --totp -b CLÉ » :"
            )
            width = max(len(a.email) for a in enrolled)
            for account in enrolled:
                self.stdout.write(f"  {account.email.ljust(width)}  {account.totp_secret}")
