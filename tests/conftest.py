from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def assignments():
    """Every assignment with an authored source (source/NN_topic/NN_topic.py)."""
    return sorted(p.parent.name for p in REPO_ROOT.glob("source/*/*.py") if p.stem == p.parent.name)


@pytest.fixture
def repo_root():
    return REPO_ROOT
