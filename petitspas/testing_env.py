"""Test environment, loaded as a pytest plugin (`-p`) so it runs before Django reads settings."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
# No statement of the suite needs more than a few seconds: a bad plan fails its test fast.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "60000")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
# Each test's client starts the middleware again: listing the ~1,800 static files each
# time cost about a third of a second per test.
os.environ.setdefault("WHITENOISE_AUTOREFRESH", "1")
# Playwright's sync API runs an event loop in the test thread; the live server is separate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Rate limits high enough never to throttle the suite (the walk over every URL, schemathesis,
# the browser tests); the rate-limit tests set their own.
for _name in ("RATELIMIT_API", "RATELIMIT_API_ANONYMOUS", "RATELIMIT_AGENDA", "RATELIMIT_FEEDS"):
    os.environ.setdefault(_name, "100000/m")
# Background jobs run in the request that enqueues them.
os.environ.setdefault("TASKS_BACKEND", "immediate")
