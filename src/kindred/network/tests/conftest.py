import pytest

from kindred.network.forms import _OPTIONS


@pytest.fixture(autouse=True)
def _fresh_filter_options():
    # The directory keeps its drop-down options in memory; each test's database starts over.
    _OPTIONS.clear()
    yield
    _OPTIONS.clear()
