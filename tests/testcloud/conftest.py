import pytest

from placement.testcloud import cloud as cloud_mod
from placement.testcloud import http_client


class InProcess:
    """A test cloud's application in this process, with a client."""

    def __init__(self, workdir, scenario, max_version=None):
        self.cloud = cloud_mod.Cloud(str(workdir), scenario,
                                     max_version=max_version)
        self.cloud.prepare(all_scenarios=False)
        self.app = self.cloud.wsgi_app()
        self.client = http_client.Client(app=self.app)

    def request(self, method, path, body=None, version=None, **kwargs):
        return self.client.request(method, path, body=body, version=version,
                                   **kwargs)


@pytest.fixture
def make_cloud(tmp_path):
    """make_cloud(scenario='flat', max_version=None) → InProcess."""
    count = [0]

    def make(scenario='flat', max_version=None):
        count[0] += 1
        return InProcess(tmp_path / ('cloud%d' % count[0]), scenario,
                         max_version)
    return make
