"""The benchmark installs upstream Placement into its own virtualenv once."""
import os

from benchmarks import common


def test_upstream_venv_is_made_and_installed_once(tmp_path):
    calls = []

    def run(command):
        calls.append(command)
        if command[1:3] == ['-m', 'venv']:
            os.makedirs(os.path.join(command[3], 'bin'))
        else:  # pip install: leaves gunicorn behind
            open(os.path.join(str(tmp_path / 'up'), 'bin', 'gunicorn'),
                 'w').close()

    path = str(tmp_path / 'up')
    assert common.ensure_upstream_venv(path, run=run) == path
    assert calls[0][1:] == ['-m', 'venv', path]
    assert calls[1][0] == os.path.join(path, 'bin', 'python')
    assert 'openstack-placement==16.0.0' in calls[1]
    assert 'gunicorn' in calls[1]
    common.ensure_upstream_venv(path, run=run)
    assert len(calls) == 2, 'an installed virtualenv is used as it is'
