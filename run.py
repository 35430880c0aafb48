#!/usr/bin/env python3
"""Developer entry point; needs only Python 3.11+.

    python3 run.py serve   # make .venv, then serve the API on embedded SQLite
    python3 run.py test    # make .venv, then run every test (pytest + gabbits)

``test`` uses SQLite unless PLACEMENT_TEST_DB is ``postgresql`` or ``mysql``
(see .ci/run, which runs all three).
"""
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, '.venv')
BIN = os.path.join(VENV, 'bin')
STAMP = os.path.join(VENV, '.installed-setup.cfg')
STATE = os.path.join(ROOT, '.placement')


def ensure_venv():
    """Create .venv and install the package (editable) with test extras."""
    if not os.path.exists(os.path.join(BIN, 'python')):
        print('creating %s' % VENV, flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    with open(os.path.join(ROOT, 'setup.cfg'), 'rb') as f:
        wanted = f.read()
    if os.path.exists(STAMP) and open(STAMP, 'rb').read() == wanted:
        return
    pip = [os.path.join(BIN, 'python'), '-m', 'pip', '--disable-pip-version-check']
    subprocess.check_call(pip + ['install', '-q', '--upgrade', 'pip'])
    subprocess.check_call(pip + ['install', '-q', '-e', ROOT + '[test]'])
    with open(STAMP, 'wb') as f:
        f.write(wanted)


def serve(args):
    """Serve on 127.0.0.1:8778, noauth2, SQLite in .placement/."""
    os.makedirs(STATE, exist_ok=True)
    config = os.path.join(STATE, 'placement.conf')
    if not os.path.exists(config):
        with open(config, 'w') as f:
            f.write('[DEFAULT]\n\n[api]\nauth_strategy = noauth2\n\n'
                    '[placement_database]\nconnection = sqlite:///%s\n'
                    'sync_on_startup = True\n'
                    % os.path.join(STATE, 'placement.sqlite'))
    env = dict(os.environ, OS_PLACEMENT_CONFIG_DIR=STATE)
    subprocess.check_call([os.path.join(BIN, 'placement-manage'),
                           '--config-file', config, 'db', 'sync'], env=env)
    bind = os.environ.get('PLACEMENT_BIND', '127.0.0.1:8778')
    gunicorn = os.path.join(BIN, 'gunicorn')
    os.execve(gunicorn, [
        gunicorn, '-c', os.path.join(ROOT, 'etc', 'gunicorn.conf.py'),
        '-b', bind, 'placement.wsgi.api:application'] + args, env)


def test(args):
    os.chdir(ROOT)
    python = os.path.join(BIN, 'python')
    # argv[0] must be the venv's own path, or Python finds another prefix.
    os.execv(python, [python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider']
             + args)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ('serve', 'test'):
        sys.exit(__doc__)
    ensure_venv()
    {'serve': serve, 'test': test}[sys.argv[1]](sys.argv[2:])


if __name__ == '__main__':
    main()
