import datetime

import pytest
from django.core.management import CommandError, call_command

from petitspas.reporting.indicators import Scope, compute
from petitspas.reporting.models import FirstSeen, SessionTally

D = datetime.date


def test_rebuild_restores_lost_aggregates_and_is_idempotent(built, capsys):
    year = Scope(programme=built.programme, start=D(2025, 1, 1), end=D(2025, 12, 31))
    expected = compute(year, today=D(2025, 12, 31))
    rows = FirstSeen.objects.count()
    FirstSeen.objects.filter(year=2025).delete()
    SessionTally.objects.all().delete()
    assert compute(year, today=D(2025, 12, 31)) != expected
    call_command("rebuild_aggregates", "--from", "2025-03-01", "--to", "2025-03-31")
    assert "Agrégats recalculés du 2025 au 2025" in capsys.readouterr().out
    assert compute(year, today=D(2025, 12, 31)) == expected
    call_command("rebuild_aggregates", "--from", "2024-01-01", "--to", "2025-12-31")
    call_command("rebuild_aggregates", "--from", "2024-01-01", "--to", "2025-12-31")
    assert FirstSeen.objects.count() == rows


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-13-01", "2025-12-31", "2025-13-01"),
        ("2025-06-01", "2025-01-01", "après la date de fin"),
        ("1800-01-01", "2025-01-01", "1800-01-01"),
    ],
)
def test_rebuild_refuses_bad_dates(db, start, end, message):
    with pytest.raises(CommandError, match=message):
        call_command("rebuild_aggregates", "--from", start, "--to", end)
