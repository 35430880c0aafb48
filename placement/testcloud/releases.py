"""The highest Placement microversion each OpenStack release shipped.

From upstream's REST API version history (``.. versionadded::`` of each
microversion, and the "Maximum in Newton" label on 1.0) and its release
notes: 1.1-1.4 Ocata, 1.5-1.10 Pike, 1.11-1.17 Queens, 1.18-1.30 Rocky,
1.31 Stein, 1.32-1.36 Train (2.0.0), 1.37 and 1.38 Xena (6.0.0), 1.39
Yoga (7.0.0); Ussuri to Wallaby and every release since Yoga added none.
"""
from placement import microversion

_V = microversion.Version
RELEASES = {
    'newton': _V(1, 0),
    'ocata': _V(1, 4),
    'pike': _V(1, 10),
    'queens': _V(1, 17),
    'rocky': _V(1, 30),
    'stein': _V(1, 31),
    'train': _V(1, 36),
    'ussuri': _V(1, 36),
    'victoria': _V(1, 36),
    'wallaby': _V(1, 36),
    'xena': _V(1, 38),
    'yoga': _V(1, 39),
    'zed': _V(1, 39),
    '2023.1': _V(1, 39),
    '2023.2': _V(1, 39),
    '2024.1': _V(1, 39),
    '2024.2': _V(1, 39),
    '2025.1': _V(1, 39),
    '2025.2': _V(1, 39),
}
# The names the year-numbered releases also go by.
ALIASES = {'antelope': '2023.1', 'bobcat': '2023.2', 'caracal': '2024.1',
           'dalmatian': '2024.2', 'epoxy': '2025.1', 'flamingo': '2025.2'}


def parse_version(text):
    """'1.17' → Version(1, 17), refusing what this service cannot serve."""
    try:
        major, minor = (int(part) for part in text.strip().split('.'))
        version = _V(major, minor)
    except ValueError:
        raise ValueError('not a microversion: %r (expected X.Y)' % text)
    if not microversion.MIN <= version <= microversion.MAX:
        raise ValueError('microversion %s is outside %s..%s'
                         % (version, microversion.MIN, microversion.MAX))
    return version


def ceiling(release):
    """The microversion ceiling of a release name ('queens', '2024.1',
    'caracal'; any case)."""
    name = release.strip().lower()
    name = ALIASES.get(name, name)
    if name not in RELEASES:
        raise ValueError('unknown release %r; known: %s'
                         % (release, ', '.join(RELEASES)))
    return RELEASES[name]
