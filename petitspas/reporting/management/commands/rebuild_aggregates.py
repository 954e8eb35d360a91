import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from petitspas.core.bounds import InvalidInput, parse_day
from petitspas.reporting.aggregates import rebuild
from petitspas.reporting.indicators import keep_closed


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats des indicateurs (premières venues, venues par mois, "
        "compteurs des séances) pour les années couvrant la période, puis les chiffres gardés "
        "des mois et années clos ; sans effet si rien n'a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", required=True, help="AAAA-MM-JJ")

    def handle(self, *args, start, end, **options):
        first, last = self._day(start), self._day(end)
        if first > last:
            raise CommandError("La date de début (--from) est après la date de fin (--to).")
        done = rebuild(first, last)
        self.stdout.write(
            f"Agrégats recalculés du {first.year} au {last.year} : "
            f"{done['households']} familles, {done['sessions']} séances saisies."
        )
        periods = keep_closed(today=timezone.localdate())
        self.stdout.write(f"Chiffres des mois et années clos recalculés : {periods} périodes.")

    def _day(self, text: str) -> datetime.date:
        try:
            day = parse_day(text)
        except InvalidInput as error:
            raise CommandError(f"« {text} » : {error}") from None
        if day is None:
            raise CommandError("Indiquez une date AAAA-MM-JJ.")
        return day
