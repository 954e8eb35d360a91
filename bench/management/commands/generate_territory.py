import datetime

from django.core.management.base import BaseCommand, CommandError

from bench.territory import SCALES, generate_territory


class Command(BaseCommand):
    help = (
        "Génère un territoire synthétique pour les mesures de performance (issue 10) : "
        "lieux, programmes, familles, séances sur trois ans, présences, comptages et "
        "observations. Dans une base vide seulement ; même graine, même jour : mêmes données."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="test")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Jour de référence (AAAA-MM-JJ) ; aujourd'hui par défaut.",
        )

    def handle(self, *args, scale, seed, today, **options):
        try:
            result = generate_territory(scale=scale, seed=seed, today=today, out=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Territoire « {scale} » généré en {result.seconds:.1f} s.")
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label.ljust(width)}  {count:>10,}")
