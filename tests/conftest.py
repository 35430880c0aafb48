import pytest

from tests import dbs
from tests.functional import app as test_app


@pytest.fixture
def service():
    """A fresh database and application (per test)."""
    svc = test_app.Service()
    yield svc
    svc.close()


@pytest.fixture
def database():
    db = dbs.TestDatabase()
    yield db
    db.drop()
