"""Parsers for the filter parameters that /resource_providers and
/allocation_candidates share: resources, required, member_of, in_tree.

Each takes the raw value(s) and the microversion and returns plain data;
bad input raises ``errors.BadRequest`` with upstream's wording.
"""
import collections

from placement import errors, parsing

RequiredTraits = collections.namedtuple('RequiredTraits', 'any_of forbidden')
MemberOf = collections.namedtuple('MemberOf', 'any_of forbidden')

_BAD_RESOURCES = ('Badly formed resources parameter. Expected resources '
                  'query string parameter in form: '
                  '?resources=VCPU:2,MEMORY_MB:1024. Got: %s.')
_ANY_OF_FORM = 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC'


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resources(raw):
    """'VCPU:2,MEMORY_MB:1024' → {'VCPU': 2, 'MEMORY_MB': 1024}."""
    if not raw.strip():
        raise errors.BadRequest(_BAD_RESOURCES % 'empty string')
    result = {}
    for item in raw.split(','):
        # Exactly one colon: upstream splits on every one, so 'VCPU:1:2'
        # is badly formed rather than a bad amount.
        parts = item.split(':')
        if len(parts) != 2:
            raise errors.BadRequest(_BAD_RESOURCES % item)
        name, amount = parts
        try:
            amount = int(amount)
        except ValueError:
            raise errors.BadRequest(
                'Requested resource %s expected positive integer amount. '
                'Got: %s.' % (name, amount))
        if amount < 1:
            raise errors.BadRequest(
                'Requested resource %s requires amount >= 1. Got: %d.'
                % (name, amount))
        result[name] = amount
    return result


def _bad_required(form, value, empty=True):
    # Upstream's messages name 'required' whatever the parameter was
    # (required1, required_X, root_required).
    tail = 'Got an empty trait in: %s' if empty else 'Got: %s'
    return errors.BadRequest(
        "Invalid query string parameters: Expected 'required' parameter "
        'value of the form: %s. %s' % (form, tail % value))


def _any_of(value, version):
    """'in:A,B' → the set {A, B}, from 1.39."""
    if version < (1, 39):
        raise errors.BadRequest(
            "Invalid query string parameters: The format '%s' only "
            'supported since microversion 1.39. Got: %s' % (_ANY_OF_FORM, value))
    names = {name.strip() for name in value[3:].split(',')}
    if not all(names):
        raise _bad_required(_ANY_OF_FORM, value)
    if any(name.startswith('!') for name in names):
        raise errors.BadRequest(
            "Invalid query string parameters: The format '%s' does not "
            'support forbidden traits. Got: %s' % (_ANY_OF_FORM, value))
    return frozenset(names)


def required_traits(values, version, param='required'):
    """Parse ``required`` values into any-of groups and forbidden names.

    Before 1.39 only the last of repeated parameters counts and ``in:``
    is refused; from 1.22 ``!TRAIT`` forbids a trait. Names are stripped
    of spaces, and any run of leading '!' forbids once (an upstream quirk
    kept until a microversion changes it). ``param`` is accepted for
    callers' sake: upstream's messages always say 'required'.
    """
    values = as_list(values)
    if version < (1, 39):
        values = values[-1:]
    allow_forbidden = version >= (1, 22)
    form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
            else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
    any_of, forbidden = [], set()
    for value in values:
        if value.startswith('in:'):
            any_of.append(_any_of(value, version))
            continue
        names = [name.strip() for name in value.split(',')]
        banned = {name.lstrip('!') for name in names if name.startswith('!')}
        if not all(names) or not all(banned):
            raise _bad_required(form, value)
        if banned and not allow_forbidden:
            raise _bad_required(form, value, empty=False)
        any_of.extend(frozenset([name]) for name in names
                      if not name.startswith('!'))
        forbidden |= banned
    return RequiredTraits(any_of, forbidden)


def trait_names(required):
    """Every name ``required`` mentions, in the order given (any-of sets
    sorted), forbidden ones last."""
    names = [name for group in required.any_of for name in sorted(group)]
    names.extend(sorted(required.forbidden))
    return list(dict.fromkeys(names))


def _member_of_value(value):
    """One member_of value → (required uuids, forbidden uuids)."""
    if ',' in value and not value.startswith(('in:', '!in:')):
        raise errors.BadRequest(
            "Multiple values for 'member_of' must be prefixed with the "
            "'in:' or '!in:' keyword using the valid microversion. Got: %s"
            % value)
    negative = value.startswith('!')
    if negative:
        value = value[1:]
    if value.startswith('in:'):
        value = value[3:]
    uuids = value.split(',')
    for uuid in uuids:
        if not parsing.is_uuid(uuid):
            raise errors.BadRequest(
                "Invalid query string parameters: Expected 'member_of' "
                'parameter to contain valid UUID(s). Got: %s' % uuid)
    # Looked up in the form aggregates are stored in.
    uuids = [parsing.stored_uuid(uuid) for uuid in uuids]
    return (frozenset(), set(uuids)) if negative else (frozenset(uuids), set())


def member_of(values, version, suffix=''):
    """Parse ``member_of`` values into any-of sets and forbidden uuids.

    ``suffix`` is the request group's, which upstream names in the
    microversion errors (member_of1, ...).
    """
    values = as_list(values)
    if len(values) > 1 and version < (1, 24):
        raise errors.BadRequest(
            'Multiple member_of%s parameters are not supported' % suffix)
    any_of, forbidden = [], set()
    for value in values:
        required, banned = _member_of_value(value)
        if required:
            any_of.append(required)
        if banned and version < (1, 32):
            raise errors.BadRequest(
                'Forbidden member_of%s parameters are not supported in the '
                'specified microversion' % suffix)
        forbidden |= banned
    return MemberOf(any_of, forbidden)
