"""The release → microversion ceiling map."""
import pytest

from placement import microversion
from placement.testcloud import releases


@pytest.mark.parametrize('release, version', [
    ('newton', (1, 0)), ('ocata', (1, 4)), ('pike', (1, 10)),
    ('queens', (1, 17)), ('rocky', (1, 30)), ('stein', (1, 31)),
    ('train', (1, 36)), ('ussuri', (1, 36)), ('wallaby', (1, 36)),
    ('xena', (1, 38)), ('yoga', (1, 39)), ('2024.1', (1, 39)),
    ('Caracal', (1, 39)), (' QUEENS ', (1, 17)),
])
def test_ceiling(release, version):
    assert releases.ceiling(release) == version


def test_releases_never_go_down_and_end_at_ours():
    values = list(releases.RELEASES.values())
    assert values == sorted(values)
    assert values[-1] == microversion.MAX


def test_unknown_release():
    with pytest.raises(ValueError, match="unknown release 'juno'"):
        releases.ceiling('juno')


@pytest.mark.parametrize('text', ['1', '1.x', '2.0', '1.40', '0.9'])
def test_bad_max_microversion(text):
    with pytest.raises(ValueError):
        releases.parse_version(text)


def test_parse_version():
    assert releases.parse_version('1.17') == (1, 17)
    assert str(releases.parse_version(' 1.7 ')) == '1.7'
