"""Runs every YAML file in gabbits/ against the real application on a fresh
database (SQLite, or PLACEMENT_TEST_DB)."""
import glob
import os

import pytest
from gabbi import driver
from gabbi.driver import test_pytest  # noqa: F401  (the collected test)

from tests import openapi_check
from tests.functional import fixtures

GABBITS = os.path.join(os.path.dirname(__file__), '..', '..', 'gabbits')


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        GABBITS, intercept=fixtures.intercept, fixture_module=fixtures,
        test_loader_name=__name__, metafunc=metafunc, host=None)


def test_every_described_success_is_answered():
    """Every 2xx the OpenAPI documents describe is received (and so held
    to its schema) by some gabbit; runs after the gabbits, in file order."""
    if len(fixtures.STARTED) < len(glob.glob(os.path.join(GABBITS,
                                                          '*.yaml'))):
        pytest.skip('only some gabbit files ran')
    missing = openapi_check.success_statuses() - openapi_check.ANSWERED
    assert not missing, sorted(missing)
