import pytest

from placement import errors, microversion


def negotiate(value):
    return microversion.negotiate({'OpenStack-API-Version': value})


def test_default_is_minimum():
    assert microversion.negotiate({}) == (1, 0)


def test_latest_is_maximum():
    assert negotiate('placement latest') == (1, 39)


def test_explicit_version_compares_as_tuple():
    version = negotiate('placement 1.14')
    assert version >= (1, 14) and version < (1, 15)
    assert str(version) == '1.14'


def test_other_services_are_ignored():
    assert negotiate('compute 2.1') == (1, 0)


@pytest.mark.parametrize('value', ['placement pony.horse', 'placement 1.2.3',
                                   'placement 1.'])
def test_malformed_version_is_400(value):
    with pytest.raises(errors.BadRequest) as caught:
        negotiate(value)
    assert 'invalid version string' in caught.value.detail


@pytest.mark.parametrize('value', ['placement 0.5', 'placement 1.40',
                                   'placement 2.0'])
def test_out_of_range_is_406(value):
    with pytest.raises(errors.NotAcceptable) as caught:
        negotiate(value)
    assert 'Unacceptable version header' in caught.value.detail
