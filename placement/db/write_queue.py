"""SQLite lets one writer in at a time and makes the others wait in its
busy handler, which polls with sleeps that grow to 100 ms: under
concurrent writes the database sits idle while writers sleep. Writers of
one database file queue instead on an exclusive ``flock`` of a file
beside it (``<database>.writers``), and the kernel wakes the next the
moment the lock is released. The busy handler still guards against
writers that do not queue (placement-manage, other tools).

A writer stuck while holding its turn holds the others up as it would
hold SQLite's lock; gunicorn's worker timeout ends it (closing the file
ends the turn).
"""
import contextlib
import fcntl
import os


def lock_path(engine):
    """The queue's file for a SQLite file database, else None."""
    url = engine.url
    if url.get_backend_name() != 'sqlite' or \
            url.database in (None, '', ':memory:') or \
            url.database.startswith('file:'):
        return None
    return url.database + '.writers'


@contextlib.contextmanager
def turn(path):
    """Wait for this process's turn to write (no-op when ``path`` is
    None). Each turn opens its own descriptor, so threads of one process
    queue too."""
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
