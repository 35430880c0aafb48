"""Runs every YAML file in gabbits/ against the real application on a fresh
database (SQLite, or PLACEMENT_TEST_DB)."""
import os

from gabbi import driver
from gabbi.driver import test_pytest  # noqa: F401  (the collected test)

from tests.functional import fixtures

GABBITS = os.path.join(os.path.dirname(__file__), '..', '..', 'gabbits')


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        GABBITS, intercept=fixtures.intercept, fixture_module=fixtures,
        test_loader_name=__name__, metafunc=metafunc, host=None)
