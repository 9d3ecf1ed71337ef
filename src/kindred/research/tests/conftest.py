import pytest


@pytest.fixture(autouse=True)
def _research_data_in_tmp(settings, tmp_path):
    settings.RESEARCH_DATA_DIR = tmp_path / "research"
