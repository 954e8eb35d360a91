"""The signed token of an invitation link."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, bound to one invitation: it stops working once the
    password is chosen (the hash covers it), when the invitation is sent again (the hash
    covers ``invited_at``) and after ``INVITATION_VALID_DAYS``, not the (shorter)
    ``PASSWORD_RESET_TIMEOUT`` of a reset link."""

    key_salt = "petitspas.organisations.invitation"

    def __init__(self, membership):
        super().__init__()
        self.membership = membership

    def _make_hash_value(self, user, timestamp):
        invited_at = self.membership.invited_at
        stamp = "" if invited_at is None else invited_at.isoformat()
        return f"{super()._make_hash_value(user, timestamp)}{self.membership.pk}{stamp}"

    def check_token(self, user, token):
        # Django's own check reads PASSWORD_RESET_TIMEOUT; the rest is the same.
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.INVITATION_VALID_DAYS * 24 * 3600
