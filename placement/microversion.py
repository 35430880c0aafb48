"""Microversion negotiation: ``OpenStack-API-Version: placement X.Y``."""
import microversion_parse

from placement import errors

SERVICE_TYPE = 'placement'
HEADER = 'openstack-api-version'
MIN_VERSION = (1, 0)
MAX_VERSION = (1, 39)


class Version(tuple):
    """A comparable (major, minor): ``req.context.version >= (1, 14)``."""

    def __new__(cls, major, minor):
        return super().__new__(cls, (major, minor))

    def __str__(self):
        return '%d.%d' % self


MIN = Version(*MIN_VERSION)
MAX = Version(*MAX_VERSION)


def negotiate(headers, maximum=MAX):
    """The Version a request asks for (MIN when it names none).

    ``headers`` is a mapping of header names to values, any case.
    ``maximum`` is the application's ceiling (``latest`` names it): an
    argument, not a module global, so that apps with different ceilings
    (the test cloud's past releases) can live in one process.
    """
    raw = microversion_parse.get_version(headers, service_type=SERVICE_TYPE)
    if raw is None:
        return MIN
    if raw.strip() == 'latest':
        return maximum
    # Two integers around the first dot; int() allows the spaces and signs
    # upstream allows, and its complaint is the one upstream reports.
    try:
        wanted = Version(*[int(part) for part in raw.split('.', 1)])
    except (TypeError, ValueError) as exc:
        raise errors.BadRequest(
            'Invalid microversion: invalid version string: %s; %s'
            % (raw, exc))
    if not MIN <= wanted <= maximum:
        raise errors.NotAcceptable(
            'Invalid microversion: Unacceptable version header: %s' % raw)
    return wanted


def response_headers(version):
    return {HEADER: '%s %s' % (SERVICE_TYPE, version),
            'vary': HEADER}
