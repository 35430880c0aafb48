"""Print the fuzzing figures at the end of the run, passed or failed."""
from tests.fuzz import test_schemathesis


def pytest_terminal_summary(terminalreporter):
    if test_schemathesis.SUMMARY:
        terminalreporter.section('schemathesis')
        for line in test_schemathesis.SUMMARY:
            terminalreporter.write_line(line)
