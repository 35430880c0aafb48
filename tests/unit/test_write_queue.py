"""SQLite writers queue on an flock beside the database."""
import threading

import sqlalchemy as sa

from placement.db import write_queue


def test_only_sqlite_files_have_a_queue(tmp_path):
    path = tmp_path / 'placement.sqlite'
    assert write_queue.lock_path(sa.create_engine('sqlite:///%s' % path)) \
        == '%s.writers' % path
    assert write_queue.lock_path(sa.create_engine('sqlite://')) is None
    assert write_queue.lock_path(sa.create_engine(
        'postgresql+psycopg://u@localhost/placement')) is None


def test_a_turn_waits_for_the_one_before(tmp_path):
    """Threads of one process queue too (each turn its own descriptor)."""
    path = str(tmp_path / 'db.writers')
    first_in, release, second_in = (threading.Event(), threading.Event(),
                                    threading.Event())

    def first():
        with write_queue.turn(path):
            first_in.set()
            release.wait(10)

    def second():
        first_in.wait(10)
        with write_queue.turn(path):
            second_in.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(10)
    assert not second_in.wait(0.3), 'the second writer did not wait'
    release.set()
    assert second_in.wait(10), 'the second writer never got its turn'
    for thread in threads:
        thread.join(10)


def test_no_queue_is_no_wait():
    with write_queue.turn(None):
        pass
