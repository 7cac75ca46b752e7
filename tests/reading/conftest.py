from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS
