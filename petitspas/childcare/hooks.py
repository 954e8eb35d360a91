"""Where the bookings of half-days plug into what a prescriber reads.

The prescriber sees each enrolled child's half-days booked and used this month. Bookings
are not kept by this module: the code that keeps them provides, once (in an
``AppConfig.ready()``), a function answering for a list of enrolments and a month. Until
one is provided the prescriber's pages show the enrolment alone, never a made-up zero.
"""

import dataclasses
import datetime
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class MonthUsage:
    booked: int
    used: int


UsageProvider = Callable[[list, datetime.date], dict[int, MonthUsage]]

_providers: list[UsageProvider] = []


def provide_month_usage(provider: UsageProvider) -> None:
    """``provider(enrolments, month)`` returns ``{enrolment id: MonthUsage}`` for the month
    starting on ``month``. Providing the same function twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)


def forget_month_usage(provider: UsageProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def month_usage(enrolments: list, month: datetime.date) -> dict[int, MonthUsage]:
    """What the providers know of these enrolments' month; empty without a provider."""
    usage: dict[int, MonthUsage] = {}
    if not enrolments:
        return usage
    for provider in _providers:
        usage.update(provider(enrolments, month))
    return usage
