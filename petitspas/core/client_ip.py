"""The client's address, as the sign-in lockout and the rate limits see it."""

from django.conf import settings
from ipware.ip import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_ip(request) -> str:
    """The address of whoever connected, read through ``TRUSTED_PROXY_COUNT`` proxies.

    Without a proxy (the default) it is REMOTE_ADDR: X-Forwarded-For comes from the client
    and would let anyone choose the address they are counted under. Behind N proxies, each
    appends the address it received the connection from, so the client is the N-th entry
    from the right; whatever the client wrote further left is ignored. django-ipware counts
    the proxies listed in the header, not the one talking to us, hence ``N - 1``. A header
    shorter than expected (a request that bypassed a proxy) falls back to REMOTE_ADDR.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    address, _ = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=[FORWARDED_FOR],
        strict=False,
    )
    return address or remote_addr
