"""Test environment, loaded as a pytest plugin (`-p`) so it runs before Django reads settings."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
# Playwright's sync API runs an event loop in the test thread; the live server is separate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
