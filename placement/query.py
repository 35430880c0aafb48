"""Parsers for the filter parameters that /resource_providers and
/allocation_candidates share: resources, required, member_of, in_tree.

Each takes the raw value(s) and the microversion and returns plain data;
bad input raises ``errors.BadRequest`` with upstream's wording.
"""
import collections

from placement import errors
from placement.handlers import util

RequiredTraits = collections.namedtuple('RequiredTraits', 'any_of forbidden')
MemberOf = collections.namedtuple('MemberOf', 'any_of forbidden')


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resources(raw):
    """'VCPU:2,MEMORY_MB:1024' → {'VCPU': 2, 'MEMORY_MB': 1024}."""
    if not raw:
        raise errors.BadRequest(
            'Badly formed resources parameter. Expected resources query '
            'string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. '
            'Got: empty string.')
    result = {}
    for item in raw.split(','):
        name, sep, amount = item.partition(':')
        if not sep or not name:
            raise errors.BadRequest(
                'Badly formed resources parameter. Expected resources query '
                'string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. '
                'Got: %s.' % item)
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


def required_traits(values, version, param='required'):
    """Parse ``required`` values into any-of groups and forbidden names.

    Before 1.39 only the last of repeated parameters counts and ``in:``
    is refused; from 1.22 ``!TRAIT`` forbids a trait.
    """
    values = as_list(values)
    if version < (1, 39):
        values = values[-1:]
    allow_forbidden = version >= (1, 22)
    expected = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
                else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
    any_of, forbidden = [], set()
    for value in values:
        if value.startswith('in:'):
            if version < (1, 39):
                raise errors.BadRequest(
                    "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only "
                    'supported since microversion 1.39. Got: %s' % value)
            names = value[3:].split(',')
            if not all(names) or any(n.startswith('!') for n in names):
                raise errors.BadRequest(
                    "Invalid query string parameters: Expected '%s' "
                    'parameter value of the form: in:HW_CPU_X86_VMX,'
                    'CUSTOM_MAGIC. Got: %s' % (param, value))
            any_of.append(frozenset(names))
            continue
        for name in value.split(','):
            is_forbidden = name.startswith('!')
            bare = name[1:] if is_forbidden else name
            if not bare or (is_forbidden and not allow_forbidden):
                raise errors.BadRequest(
                    "Invalid query string parameters: Expected '%s' "
                    'parameter value of the form: %s. Got: %s'
                    % (param, expected, value))
            if is_forbidden:
                forbidden.add(bare)
            else:
                any_of.append(frozenset([bare]))
    return RequiredTraits(any_of, forbidden)


def trait_names(required):
    names = set(required.forbidden)
    for group in required.any_of:
        names.update(group)
    return names


def member_of(values, version):
    """Parse ``member_of`` values into any-of sets and forbidden uuids."""
    values = as_list(values)
    if len(values) > 1 and version < (1, 24):
        raise errors.BadRequest(
            'Multiple member_of parameters are not supported')
    any_of, forbidden = [], set()
    for value in values:
        negative = value.startswith('!')
        if negative:
            if version < (1, 32):
                raise errors.BadRequest(
                    'Forbidden member_of parameters are not supported in the '
                    'specified microversion')
            value = value[1:]
        if value.startswith('in:'):
            value = value[3:]
        elif ',' in value:
            raise errors.BadRequest(
                "Multiple values for 'member_of' must be prefixed with the "
                "'in:' or '!in:' keyword using the valid microversion.")
        uuids = value.split(',')
        if not all(util.is_uuid(u) for u in uuids):
            raise errors.BadRequest(
                "Invalid query string parameters: Expected 'member_of' "
                'parameter to contain valid UUID(s).')
        if negative:
            forbidden.update(uuids)
        else:
            any_of.append(frozenset(uuids))
    return MemberOf(any_of, forbidden)
