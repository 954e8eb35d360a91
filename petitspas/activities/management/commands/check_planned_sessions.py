"""List the planned sessions that their site's calendar no longer allows (a closure, a new
weekly rule, a public holiday: the calendar function's answer, as on the coordinators'
"Séances touchées par le calendrier" page). Run it nightly from the scheduler: it prints
nothing to fix and exits 0, or lists them by programme and exits 1, so that cron mails the
list and monitoring sees a failure."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.activities.selectors import sessions_off_calendar


class Command(BaseCommand):
    help = (
        "Liste les séances prévues sur une demi-journée où leur lieu est fermé ou en dehors "
        "de ses horaires ; code de sortie 1 s'il y en a."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        conflicts = sessions_off_calendar(Session.objects.all(), today=today)
        if not conflicts:
            self.stdout.write(
                f"Aucune séance prévue sur un lieu fermé à partir du {today:%d/%m/%Y}."
            )
            return
        by_programme = defaultdict(list)
        for conflict in conflicts:
            by_programme[conflict.session.activity_type.programme].append(conflict)
        for programme, rows in sorted(
            by_programme.items(), key=lambda item: (item[0].organisation.name, item[0].name)
        ):
            url = reverse("activities:calendar-conflicts", kwargs={"programme_pk": programme.pk})
            self.stdout.write(
                f"{programme.organisation.name} — {programme.name} : {len(rows)} séance(s) ({url})"
            )
            for row in rows:
                session = row.session
                self.stdout.write(
                    f"  {session.date:%d/%m/%Y} {session.start_time:%H:%M}-"
                    f"{session.end_time:%H:%M} {session.activity_type.name}, "
                    f"{session.site.name} : {row.reason} (séance {session.pk})"
                )
        raise CommandError(
            f"{len(conflicts)} séance(s) prévue(s) sur un lieu fermé ou en dehors de ses "
            "horaires : à annuler ou déplacer."
        )
