"""pytest fixtures for testing a client against a Placement test cloud
(entry point ``pytest11``: loaded wherever placement-ng is installed).

- ``placement_testcloud`` (session): a live test cloud on a free port,
  started once (``--testcloud-scenario``, ``--testcloud-release``,
  ``--testcloud-max-microversion``), or the one at ``--testcloud-url``.
- ``placement_cloud``: the same, reset before the test to the scenario
  of its ``@pytest.mark.testcloud_scenario("numa")`` mark, or the
  session's; ``.uuid(name)``, ``.faults(...)``.
- ``placement_endpoint``: its URL; ``placement_session``: an
  ``httpx.Client`` on it sending the admin token and JSON accept header.
"""
import pytest

from placement.testcloud.handle import TestCloud


def pytest_addoption(parser):
    group = parser.getgroup('placement-testcloud')
    group.addoption('--testcloud-scenario', default='mixed',
                    help='scenario of the session test cloud')
    group.addoption('--testcloud-release', default=None,
                    help='serve the microversion ceiling of a release')
    group.addoption('--testcloud-max-microversion', default=None,
                    help='serve no microversion above X.Y')
    group.addoption('--testcloud-url', default=None,
                    help='use the test cloud already serving at this URL')


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'testcloud_scenario(name): reset the test cloud to this '
        'scenario before the test (placement_cloud fixture)')


@pytest.fixture(scope='session')
def placement_testcloud(request):
    option = request.config.getoption
    if option('--testcloud-url'):
        cloud = TestCloud(option('--testcloud-url'))
    else:
        cloud = TestCloud.start(
            scenario=option('--testcloud-scenario'),
            release=option('--testcloud-release'),
            max_microversion=option('--testcloud-max-microversion'))
    yield cloud
    cloud.stop()


@pytest.fixture
def placement_cloud(request, placement_testcloud):
    mark = request.node.get_closest_marker('testcloud_scenario')
    scenario = (mark.args[0] if mark else
                request.config.getoption('--testcloud-scenario'))
    placement_testcloud.reset(scenario)
    return placement_testcloud


@pytest.fixture
def placement_endpoint(placement_cloud):
    return placement_cloud.endpoint


@pytest.fixture
def placement_session(placement_cloud):
    import httpx
    with httpx.Client(base_url=placement_cloud.endpoint, headers={
            'x-auth-token': placement_cloud.token,
            'accept': 'application/json'}) as session:
        yield session
