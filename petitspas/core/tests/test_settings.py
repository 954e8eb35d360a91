"""Settings come from the environment; production's pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(*arguments, **environment):
    """Run manage.py in a fresh interpreter: settings are read once, at import."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_", "ALLOWED_HOSTS"))
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "-production-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="petitspas.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def read_setting(name, **environment):
    result = manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(repr(settings.{name}))",
        SECRET_KEY="tests-only-not-a-secret",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_x_forwarded_proto_is_not_trusted_by_default():
    assert read_setting("SECURE_PROXY_SSL_HEADER") == "None"


def test_x_forwarded_proto_is_trusted_when_configured():
    assert read_setting("SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="1") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_session_limits_come_from_the_environment():
    assert read_setting("SESSION_IDLE_TIMEOUT") == "1800"
    assert read_setting("SESSION_MAX_AGE") == "43200"
    assert read_setting("SESSION_IDLE_TIMEOUT", SESSION_IDLE_TIMEOUT_MINUTES="10") == "600"
    assert read_setting("SESSION_MAX_AGE", SESSION_MAX_AGE_HOURS="8") == "28800"


KEPT_ACROSS_REQUESTS = """
from django.core.signals import request_finished, request_started
from django.db import connection

def one_request():
    request_started.send(sender=None)
    connection.ensure_connection()
    opened = connection.connection
    request_finished.send(sender=None)
    return opened

print(one_request() is one_request())
"""


def test_a_sqlite_connection_is_kept_from_one_request_to_the_next(tmp_path):
    # Opening the file and reading its schema cost a request more than a kept page does.
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    kept = manage(
        "shell", "-c", KEPT_ACROSS_REQUESTS, SECRET_KEY="tests-only", DATABASE_URL=database
    )
    closed = manage(
        "shell",
        "-c",
        KEPT_ACROSS_REQUESTS,
        SECRET_KEY="tests-only",
        DATABASE_URL=database,
        DATABASE_CONN_MAX_AGE="0",
    )

    assert kept.stdout.strip().splitlines()[-1] == "True", kept.stderr
    assert closed.stdout.strip().splitlines()[-1] == "False", closed.stderr
