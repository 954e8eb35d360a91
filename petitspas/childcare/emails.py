"""What the prescriber is told, in French: an e-mail at each decision and a weekly digest.

Each e-mail carries signed links (``django.core.signing``, valid
``REFERRAL_LINK_MAX_AGE_DAYS``) that open the referral's status page once signed in. The
link only names the referral: the page still goes through ``access_referral``, so a link
forwarded to someone else opens nothing for them.

E-mails hold the parent's first name and the state, never the children's birth dates or
the coordinator's notes.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.childcare.models import Referral, State
from petitspas.childcare.selectors import digest_recipients
from petitspas.organisations.models import Membership, Role

logger = logging.getLogger(__name__)

LINK_SALT = "petitspas.childcare.referral-link"

DECISION_SUBJECTS = {
    State.ACCEPTED: "Orientation acceptée : {parent} et son enfant sont inscrits",
    State.WAITING_LIST: "Orientation sur liste d'attente : {parent}",
    State.REFUSED: "Orientation refusée : {parent}",
    State.ENDED: "Accueil terminé : {parent}",
}
DECISION_SENTENCES = {
    State.ACCEPTED: (
        "L'orientation de {parent} vers {programme} est acceptée : {children} "
        "{verb} à partir du {starts_on}. L'accueil est gratuit pour la famille."
    ),
    State.WAITING_LIST: (
        "L'orientation de {parent} vers {programme} est sur liste d'attente : l'équipe vous "
        "écrira dès qu'une place se libère."
    ),
    State.REFUSED: "L'orientation de {parent} vers {programme} n'a pas pu être acceptée.",
    State.ENDED: "L'accueil de la famille de {parent} à {programme} est terminé.",
}
BODY = """Bonjour,

{sentence}
{reason}
Pour voir l'orientation et son suivi, connectez-vous à Petits Pas par ce lien
(valable {days} jours) :
{link}

Orientation n° {number}, envoyée le {sent_on} par {organisation}.

L'équipe Petits Pas
"""
DIGEST_SUBJECT = "Vos orientations vers {programmes} : point de la semaine"
DIGEST_BODY = """Bonjour {first_name},

Voici l'état des orientations de {organisation} au {today}.

{lines}

Chaque lien ouvre l'orientation après connexion ; il est valable {days} jours.

L'équipe Petits Pas
"""


def make_link_token(referral: Referral) -> str:
    return signing.dumps(referral.pk, salt=LINK_SALT)


def read_link_token(token: str) -> int:
    """The referral's id; ``signing.SignatureExpired`` or ``signing.BadSignature`` (its
    parent) for an expired or altered link."""
    max_age = settings.REFERRAL_LINK_MAX_AGE_DAYS * 24 * 3600
    value = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    if not isinstance(value, int):
        raise signing.BadSignature("not a referral")
    return value


def referral_link(referral: Referral, *, site_url: str = "") -> str:
    base = (site_url or settings.SITE_URL).rstrip("/")
    path = reverse("childcare:referral-link", kwargs={"token": make_link_token(referral)})
    return base + path


def recipients(referral: Referral) -> list[str]:
    """Its author, while still an active prescriber of the organisation; otherwise the
    organisation's active prescribers."""
    prescribers = Membership.objects.joined().filter(
        organisation_id=referral.prescriber_organisation_id,
        role=Role.PRESCRIBER,
        is_active=True,
        user__is_active=True,
    )
    if referral.created_by_id and prescribers.filter(user_id=referral.created_by_id).exists():
        return [referral.created_by.email]
    return sorted(prescribers.values_list("user__email", flat=True))


def _children_names(referral: Referral) -> list[str]:
    return [child.label for child in referral.children.all()]


def decision_message(referral: Referral, *, site_url: str = "") -> tuple[str, str]:
    """The subject and body told to the prescriber about the referral's current state."""
    names = _children_names(referral)
    enrolment = referral.enrolments.order_by("starts_on").first()
    values = {
        "parent": referral.parent_label,
        "programme": referral.programme.name,
        "children": " et ".join(names) if names else "l'enfant",
        "verb": "sont inscrits" if len(names) > 1 else "est inscrit(e)",
        "starts_on": date_format(enrolment.starts_on, "j F Y") if enrolment else "",
    }
    sentence = DECISION_SENTENCES[referral.state].format(**values)
    if referral.state == State.REFUSED:
        shared = referral.shared_refusal_reason
        reason = (
            f"Motif : {shared}.\n"
            if shared
            else "L'équipe n'a pas indiqué de motif partagé : contactez-la pour en savoir plus.\n"
        )
    elif referral.state == State.ENDED and referral.end_reason:
        reason = f"Motif : {referral.get_end_reason_display()}.\n"
    else:
        reason = ""
    body = BODY.format(
        sentence=sentence,
        reason=reason,
        days=settings.REFERRAL_LINK_MAX_AGE_DAYS,
        link=referral_link(referral, site_url=site_url),
        number=referral.pk,
        sent_on=date_format(timezone.localtime(referral.created_at), "j F Y"),
        organisation=referral.prescriber_organisation.name,
    )
    return DECISION_SUBJECTS[referral.state].format(**values), body


def send_decision(referral: Referral, *, site_url: str = "") -> int:
    """E-mail the decision to the prescriber. A mail server that refuses is logged: the
    decision stands, and the digest will tell it again."""
    referral = Referral.objects.select_related("programme", "prescriber_organisation").get(
        pk=referral.pk
    )
    to = recipients(referral)
    if not to:
        return 0
    subject, body = decision_message(referral, site_url=site_url)
    try:
        return send_mail(subject, body, None, to)
    except OSError:
        logger.exception("Referral %s: the decision e-mail was not sent", referral.pk)
        return 0


def digest_message(membership, referrals: list[Referral], *, site_url: str = "") -> tuple[str, str]:
    today = timezone.localdate()
    lines = []
    for referral in referrals:
        state = referral.get_state_display().lower()
        extra = ""
        if referral.state == State.REFUSED and referral.shared_refusal_reason:
            extra = f" (motif : {referral.shared_refusal_reason})"
        elif referral.state == State.ENDED and referral.end_reason:
            extra = f" ({referral.get_end_reason_display().lower()})"
        sent_on = date_format(timezone.localtime(referral.created_at), "j F Y")
        lines.append(
            f"- {referral.parent_label}, orientée le {sent_on} vers "
            f"{referral.programme.name} : {state}{extra}\n"
            f"  {referral_link(referral, site_url=site_url)}"
        )
    programmes = sorted({referral.programme.name for referral in referrals})
    subject = DIGEST_SUBJECT.format(programmes=", ".join(programmes))
    body = DIGEST_BODY.format(
        first_name=membership.user.first_name or membership.user.email,
        organisation=membership.organisation.name,
        today=date_format(today, "j F Y"),
        lines="\n".join(lines),
        days=settings.REFERRAL_LINK_MAX_AGE_DAYS,
    )
    return subject, body


def send_weekly_digests(*, site_url: str = "") -> int:
    """One e-mail to each active prescriber whose organisation has referrals open or
    changed in the last 7 days. Returns how many were sent."""
    sent = 0
    for membership, referrals in digest_recipients():
        subject, body = digest_message(membership, referrals, site_url=site_url)
        sent += send_mail(subject, body, None, [membership.user.email])
    return sent
