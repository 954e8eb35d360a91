"""The project's settings, served with one extra URL: the bare view that throughput is
compared with (``bench/urls.py``), and the ``bench`` app for the ``generate_territory``
command. Everything else comes from the environment as usual.

Rate limits are off: every request of a run comes from one address, and the limits (which
answer 429 past a few dozen requests a minute) would be measured instead of the pages."""

from petitspas.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
RATELIMIT_ENABLE = False
