"""``placement-testcloud`` as a user runs it: real subprocesses, real
gunicorn, real HTTP."""
import json
import os
import re
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from placement.testcloud import http_client, snapshot
from placement.testcloud.handle import TestCloud

COMMAND = [sys.executable, '-m', 'placement.testcloud']


def read_until(process, marker, timeout=60):
    """stdout lines up to the one holding ``marker`` (read by a thread:
    a pipe's buffered lines would hide from select())."""
    found = queue.Queue()

    def pump():
        for line in process.stdout:
            found.put(line.rstrip('\n'))
        found.put(None)
    threading.Thread(target=pump, daemon=True).start()
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = found.get(timeout=0.5)
        except queue.Empty:
            continue
        if line is None:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError('no %r in:\n%s' % (marker, '\n'.join(lines)))


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def private_tmp(tmp_path):
    """A TMPDIR of its own, to see that the server leaves nothing."""
    path = tmp_path / 'tmp'
    path.mkdir()
    return path


def start(private_tmp, *args):
    env = dict(os.environ, TMPDIR=str(private_tmp), PYTHONUNBUFFERED='1')
    return subprocess.Popen(COMMAND + ['serve', '--port', '0'] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)


@pytest.mark.parametrize('stop_signal', [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_what_to_use_and_leaves_nothing(private_tmp,
                                                     stop_signal):
    process = start(private_tmp, '--scenario', 'numa', '--release', 'queens')
    try:
        lines = read_until(process, 'Serving;')
        text = '\n'.join(lines)
        endpoint = re.search(r'endpoint: +(http://\S+)', text).group(1)
        assert re.search(r'token: +admin', text)
        assert 'microversions:    1.0 - 1.17 (queens)' in text
        assert 'Scenario numa:' in text
        assert '6 providers (2 trees)' in text
        assert 'numa-compute-0_NUMA0' in text
        assert len(lines) < 40  # one screen
        client = http_client.Client(url=endpoint)
        assert client.get('/').json()['versions'][0]['max_version'] == '1.17'
        worker = client.get('/_testcloud').json()['pid']
        assert worker != process.pid
        assert os.listdir(private_tmp)  # its working directory
        client.close()
        process.send_signal(stop_signal)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
    assert os.listdir(private_tmp) == []
    deadline = time.monotonic() + 10
    while not gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(worker)
    host, port = endpoint[len('http://'):].split(':')
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=2).close()


def test_a_bad_scenario_file_fails_before_serving(private_tmp, tmp_path):
    bad = tmp_path / 'bad.yaml'
    bad.write_text('providers:\n  - name: a\n    trait: [CUSTOM_X]\n')
    process = start(private_tmp, '--scenario', str(bad))
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "providers[0]: Additional properties are not allowed ('trait'" \
        in output
    assert os.listdir(private_tmp) == []


def test_ready_file_for_other_languages(private_tmp, tmp_path):
    ready = tmp_path / 'ready.json'
    process = start(private_tmp, '--scenario', 'empty', '--ready-file',
                    str(ready))
    try:
        read_until(process, 'Serving;')
        body = json.loads(ready.read_text())
        assert body['token'] == 'admin'
        assert body['scenario'] == 'empty'
        assert http_client.Client(url=body['endpoint']).get(
            '/').status == 200
        process.terminate()
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
    assert not ready.exists()


@pytest.fixture(scope='module')
def empty_cloud():
    with TestCloud.start(scenario='empty') as cloud:
        yield cloud


@pytest.mark.parametrize('name', ['mixed', 'flat'])
def test_cli_load_into_a_fresh_server_equals_builtin(empty_cloud, name):
    """``placement-testcloud load`` over real HTTP into a server started
    empty gives what the server's own seeding of the scenario gives."""
    empty_cloud.reset('empty')
    result = subprocess.run(
        COMMAND + ['load', '--url', empty_cloud.endpoint, '--token',
                   'admin', '--scenario', name],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert 'at microversion 1.39' in result.stdout
    client = http_client.Client(url=empty_cloud.endpoint)
    loaded = snapshot.snapshot(client)
    empty_cloud.reset(name)
    assert snapshot.snapshot(client) == loaded
    client.close()


def test_cli_load_errors_are_one_line(empty_cloud, tmp_path):
    result = subprocess.run(
        COMMAND + ['load', '--url', empty_cloud.endpoint, '--scenario',
                   'nosuch'], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "placement-testcloud: unknown scenario 'nosuch'")


def _without_generations(value):
    if isinstance(value, dict):
        return {key: _without_generations(item) for key, item in value.items()
                if 'generation' not in key}
    if isinstance(value, list):
        return [_without_generations(item) for item in value]
    return value


def test_load_into_a_pike_cloud_uses_pike_requests():
    """At 1.10: classes by POST, aggregates as a list, allocations as a
    list with project and user, no consumer types (a warning)."""
    with TestCloud.start(scenario='empty', release='pike') as pike, \
            TestCloud.start(scenario='flat', release='pike') as builtin:
        result = subprocess.run(
            COMMAND + ['load', '--url', pike.endpoint, '--scenario',
                       'ironic'], capture_output=True, text=True,
            timeout=120)
        assert result.returncode == 0, result.stderr
        assert 'at microversion 1.10' in result.stdout
        assert 'consumer types of 1 consumers (1.38) were not written' \
            in result.stderr
        builtin.reset('ironic')
        at_pike = [_without_generations(snapshot.snapshot(
            http_client.Client(url=cloud.endpoint), version='1.10'))
            for cloud in (pike, builtin)]
        assert at_pike[0] == at_pike[1]
        assert at_pike[0]['providers']


def test_the_pytest_plugin_fixtures(tmp_path):
    """A client's suite using the fixtures, run by pytest in a
    subprocess (the plugin comes from the pytest11 entry point)."""
    (tmp_path / 'test_client.py').write_text('''
import pytest

def test_session(placement_session, placement_cloud, placement_endpoint):
    assert placement_endpoint == placement_cloud.endpoint
    rps = placement_session.get('/resource_providers').json()
    assert len(rps['resource_providers']) == 3
    placement_session.put('/traits/CUSTOM_LEFT_BEHIND',
                          headers={'openstack-api-version': 'placement 1.6'})

def test_reset_between_tests(placement_session):
    assert placement_session.get(
        '/traits/CUSTOM_LEFT_BEHIND',
        headers={'openstack-api-version': 'placement 1.6'}
    ).status_code == 404

@pytest.mark.testcloud_scenario('numa')
def test_marked_scenario(placement_cloud, placement_session):
    assert placement_cloud.uuid('numa-compute-1_NUMA1')
    assert len(placement_session.get('/resource_providers').json()[
        'resource_providers']) == 6

def test_ceiling_option(placement_session):
    assert placement_session.get('/').json()['versions'][0][
        'max_version'] == '1.17'
''')
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '--testcloud-scenario', 'flat', '--testcloud-max-microversion',
         '1.17', str(tmp_path / 'test_client.py')],
        capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    assert '4 passed' in result.stdout, result.stdout + result.stderr
