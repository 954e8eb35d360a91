"""Loads the demo territory (``data/territory.py``): organisations, programmes, sites and
their opening rules, one account per role, then the field work (``activity.py``).
``manage.py load_demo`` (``make demo``) runs it; loading twice changes nothing.

Every INSEE code is checked against its postcode with the official commune list, which also
gives the département (hence the school-holiday zone).
"""

import base64
import dataclasses
import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from petitspas.accounts.mfa import mfa_required
from petitspas.accounts.models import User
from petitspas.core.db import analyze
from petitspas.demo.activity import load_activity
from petitspas.demo.childcare import load_childcare
from petitspas.demo.childcare_staffing import load_childcare_staffing
from petitspas.demo.coverage import load_coverage
from petitspas.demo.data import childcare as childcare_data
from petitspas.demo.data.territory import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ORGANISATIONS,
    PROGRAMMES,
    SiteSpec,
)
from petitspas.demo.desk import load_desk_and_network
from petitspas.demo.diagnosis_areas import load_diagnosis_areas
from petitspas.demo.diagnosis_inquiry import load_inquiry
from petitspas.demo.diagnosis_participation import load_diagnosis_participation
from petitspas.demo.diagnosis_replicate import load_replication_target
from petitspas.demo.directory import load_directory
from petitspas.demo.guide import load_guide
from petitspas.demo.money import load_money
from petitspas.demo.reviews import load_reviews
from petitspas.organisations.models import Membership, Organisation, Programme
from petitspas.places.communes import get_commune
from petitspas.places.models import (
    Site,
    SiteClosure,
    SiteRelocation,
    WeeklyOpening,
)
from petitspas.reporting import receivers as figure_receivers
from petitspas.reporting.aggregates import rebuild_all

# Printed beside every demo account; the command refuses to set it when DEBUG is off


class DemoDataError(ValueError):
    """The demo data contradicts the reference data (an INSEE code, a postcode)."""


@dataclasses.dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    organisations: str
    # Base32, for an authenticator application or `oathtool --totp -b`: empty when the
    # role needs no second factor.
    totp_secret: str = ""


@dataclasses.dataclass
class DemoResult:
    # label -> [rows loaded, of which created]
    counts: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    accounts: list[DemoAccount] = dataclasses.field(default_factory=list)

    def tally(self, label: str, created: bool) -> None:
        row = self.counts.setdefault(label, [0, 0])
        row[0] += 1
        row[1] += int(created)


def _upsert(
    model: type[models.Model], *, lookup: dict, values: dict, exclude: tuple[str, ...] = ()
) -> tuple[models.Model, bool]:
    """``update_or_create`` that runs ``full_clean()`` before saving, so the model's rules
    hold for demo rows too. ``lookup`` is the natural key; plain keys are copied on create."""
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**{key: value for key, value in lookup.items() if "__" not in key})
    for field, value in values.items():
        setattr(instance, field, value)
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance, created


def _place(spec: SiteSpec) -> dict:
    """Town and département from the official commune list; fails on any mismatch."""
    commune = get_commune(spec.commune_code)
    if commune is None:
        raise DemoDataError(f"{spec.name} : code INSEE inconnu {spec.commune_code}.")
    if spec.postcode not in commune.postcodes:
        raise DemoDataError(
            f"{spec.name} : le code postal {spec.postcode} n'est pas celui de {commune.name} "
            f"({spec.commune_code} : {', '.join(commune.postcodes)})."
        )
    return {"town": commune.name, "departement": commune.departement}


def _load_site(programme: Programme, spec: SiteSpec, result: DemoResult) -> Site:
    site, created = _upsert(
        Site,
        lookup={"programme": programme, "name__iexact": spec.name},
        values={
            "name": spec.name,
            "kind": spec.kind,
            "address": spec.address,
            "postcode": spec.postcode,
            "commune_code": spec.commune_code,
            **_place(spec),
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
            "is_qpv": spec.is_qpv,
            "access_notes": spec.access_notes,
            "is_active": True,
        },
    )
    result.tally("lieux", created)

    kept = []
    for opening in spec.openings:
        row, created = _upsert(
            WeeklyOpening,
            lookup={"site": site, "weekday": opening.weekday, "half_day": opening.half_day},
            values={
                "opens_at": opening.opens_at,
                "closes_at": opening.closes_at,
                "school_holidays": opening.school_holidays,
            },
        )
        kept.append(row.pk)
        result.tally("ouvertures hebdomadaires", created)
    # The weekly pattern is the demo's rule: half-days added by hand are removed.
    site.weekly_openings.exclude(pk__in=kept).delete()

    for closure in spec.closures:
        _, created = _upsert(
            SiteClosure,
            lookup={"site": site, "starts_on": closure.starts_on, "half_day": closure.half_day},
            values={"ends_on": closure.ends_on, "reason": closure.reason},
        )
        result.tally("fermetures", created)

    for relocation in spec.relocations:
        _, created = _upsert(
            SiteRelocation,
            lookup={"site": site, "starts_on": relocation.starts_on},
            values={
                "ends_on": relocation.ends_on,
                "place_name": relocation.place_name,
                "address": relocation.address,
                "reason": relocation.reason,
            },
        )
        result.tally("déménagements temporaires", created)
    return site


def _load_accounts(
    organisations: dict[str, Organisation], result: DemoResult, accounts=ACCOUNTS
) -> None:
    # One hash for every account: hashing is deliberately slow.
    password_hash = make_password(DEMO_PASSWORD)
    for spec in accounts:
        user = User.objects.filter(email=spec.email).first()
        created = user is None
        if created:
            user = User.objects.create_user(spec.email)
        user.first_name = spec.first_name
        user.last_name = spec.last_name
        user.is_active = True
        user.is_staff = spec.is_platform_admin
        user.is_superuser = spec.is_platform_admin
        user.password = password_hash
        user.save()
        result.tally("comptes", created)

        for organisation_name, role in spec.memberships:
            _, created = _upsert(
                Membership,
                lookup={"user": user, "organisation": organisations[organisation_name]},
                values={"role": role, "is_active": True},
            )
            result.tally("adhésions", created)

        result.accounts.append(
            DemoAccount(
                role=spec.role_label,
                email=spec.email,
                password=DEMO_PASSWORD,
                organisations=", ".join(name for name, _ in spec.memberships) or "—",
                totp_secret=_demo_second_factor(user, result),
            )
        )


DEMO_DEVICE_NAME = "Démonstration"


def demo_totp_key(email: str) -> bytes:
    """The demo account's TOTP key: derived from its address, so that it is the same on
    every machine and can be written in the README (it protects nothing real)."""
    return hashlib.sha256(f"petitspas-demo-totp:{email}".encode()).digest()[:20]


def _demo_second_factor(user: User, result: DemoResult) -> str:
    """Roles that must have a second factor come enrolled with the known key; returns it
    in base32 (empty for the others)."""
    if not mfa_required(user):
        return ""
    key = demo_totp_key(user.email)
    _, created = _upsert(
        TOTPDevice,
        lookup={"user": user, "name": DEMO_DEVICE_NAME},
        values={"key": key.hex(), "confirmed": True, "throttling_failure_count": 0},
    )
    result.tally("appareils de double authentification", created)
    return base64.b32encode(key).decode()


@transaction.atomic
def load_demo(*, today: datetime.date | None = None) -> DemoResult:
    """Create or restore the demo territory and its accounts, in one transaction, then its
    field work (``demo_activity``) dated around ``today`` (the local date by default).

    Creates accounts with the known ``DEMO_PASSWORD``: callers check that the server is a
    development one (the ``load_demo`` command refuses when DEBUG is off unless forced).
    Raises ``DemoDataError`` when a commune code and postcode do not match.
    """
    result = DemoResult()
    organisations = {}
    for spec in ORGANISATIONS:
        organisation, created = _upsert(
            Organisation,
            lookup={"name": spec.name},
            values={"kind": spec.kind, "departement": spec.departement},
            # The slug is derived from the name on the first save.
            exclude=("slug",),
        )
        organisations[spec.name] = organisation
        result.tally("organisations", created)

    for spec in PROGRAMMES:
        programme, created = _upsert(
            Programme,
            lookup={"organisation": organisations[spec.organisation], "name__iexact": spec.name},
            values={
                "name": spec.name,
                "summary": spec.summary,
                "public": spec.public,
                "started_on": spec.started_on,
                "is_active": True,
            },
            exclude=("slug",),
        )
        result.tally("programmes", created)
        for site_spec in spec.sites:
            _load_site(programme, site_spec, result)

    _load_accounts(organisations, result)
    _load_accounts(organisations, result, childcare_data.ACCOUNTS)
    load_replication_target(result=result)
    # The figures' aggregates are rebuilt once the rows are written in bulk.
    with figure_receivers.paused():
        load_activity(today=today or timezone.localdate(), result=result)
        load_childcare(organisations=organisations, result=result)
        load_childcare_staffing(result=result, load_site=_load_site)
        load_money(
            organisations=organisations, year=(today or timezone.localdate()).year, result=result
        )
    rebuild_all()  # the figures' aggregates: the rows above were written in bulk
    load_directory(result=result)
    load_guide(result=result)
    load_reviews(today=today or timezone.localdate())
    load_desk_and_network(today=today or timezone.localdate(), result=result)
    load_diagnosis_areas(result=result)
    load_inquiry(today=today or timezone.localdate(), result=result)
    load_coverage(result=result)
    load_diagnosis_participation(today=today or timezone.localdate(), result=result)
    analyze()
    return result
