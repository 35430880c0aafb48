import gc

import pytest

from placement import gc_pause


def test_collector_paused_inside_and_resumed_after():
    assert gc.isenabled()
    with gc_pause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_resume_only_at_the_last_exit():
    with gc_pause.paused():
        with gc_pause.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_after_an_error():
    with pytest.raises(ValueError):
        with gc_pause.paused():
            raise ValueError()
    assert gc.isenabled()
