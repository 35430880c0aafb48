"""The capacity arithmetic, in one place, as SQL expressions.

A provider can take ``amount`` of a class when
``used + amount <= (total - reserved) * allocation_ratio`` and
``min_unit <= amount <= max_unit`` and ``amount % step_size == 0``.
Provider filters, allocation checks and candidate searches all use these.
"""
import math

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import expression

from placement.db import conditions
from placement.db.tables import allocations, inventories
from placement.schemas.inventory import MAX_INT


def usage_of(provider_id_col, class_id_col):
    """Scalar subquery: what is allocated of one class on one provider."""
    return (sa.select(sa.func.coalesce(sa.func.sum(allocations.c.used), 0))
            .where(allocations.c.resource_provider_id == provider_id_col,
                   allocations.c.resource_class_id == class_id_col)
            .scalar_subquery())


def usage_table():
    """Subquery of (resource_provider_id, resource_class_id, used)."""
    return (sa.select(allocations.c.resource_provider_id,
                      allocations.c.resource_class_id,
                      sa.func.sum(allocations.c.used).label('used'))
            .group_by(allocations.c.resource_provider_id,
                      allocations.c.resource_class_id)
            .subquery('usage'))


def holds(used, total, reserved, allocation_ratio):
    """Whether ``used`` fits an inventory: the check a write of
    allocations makes, in Python arithmetic on the values as read."""
    return used <= (total - reserved) * allocation_ratio


def smallest_total(used, reserved, allocation_ratio):
    """The smallest total (not below ``reserved``) that ``holds`` the
    usage; None when none does (a ratio of zero or less under usage).

    ceil(used / ratio) + reserved, corrected by a step either way where
    floating point puts the product on the wrong side of ``used``.
    """
    if holds(used, reserved, reserved, allocation_ratio):
        return reserved
    if allocation_ratio <= 0:
        return None
    units = used / allocation_ratio
    if not math.isfinite(units):
        return None
    total = reserved + math.ceil(units)
    while not holds(used, total, reserved, allocation_ratio):
        total += 1
    while total > reserved and holds(used, total - 1, reserved,
                                     allocation_ratio):
        total -= 1
    return total


def capacity(inv=inventories):
    return (inv.c.total - inv.c.reserved) * inv.c.allocation_ratio


def whole_capacity(inv=inventories):
    """``capacity`` rounded down: usage is whole, so ``used <= capacity``
    exactly when ``used <= whole_capacity`` (what can really be taken)."""
    return _WholeCapacity(inv.c.total, inv.c.reserved, inv.c.allocation_ratio)


# Past these, (total - reserved) * allocation_ratio may not fit SQLite's
# 64-bit integers (under them it is below 2**62).
_EXACT_RATIO = sa.literal_column('2000000000.0')
_MAX_TOTAL = sa.literal_column(str(MAX_INT))


class _WholeCapacity(expression.FunctionElement):
    """floor((total - reserved) * allocation_ratio) of an inventory row."""
    name = 'whole_capacity'
    inherit_cache = True


@compiles(_WholeCapacity)
def _whole(element, compiler, **kw):
    total, reserved, ratio = element.clauses
    return compiler.process(sa.func.floor((total - reserved) * ratio), **kw)


# A real: sums of many capacities must not overflow SQLite's integers
# ("integer overflow", where reals only lose precision past 2**53).
_REAL = sa.literal_column('0.0')


@compiles(_WholeCapacity, 'sqlite')
def _whole_sqlite(element, compiler, **kw):
    """SQLite: a cast to INTEGER (which truncates: the floor of a product
    that is not negative), made a real again as floor() gives it, wherever
    the product is sure to fit an integer; the floor() registered in
    db/engine.py, a Python call per row that took two thirds of GET
    /capacity's time at 100,000 providers, only where it may not."""
    total, reserved, ratio = element.clauses
    product = (total - reserved) * ratio
    exact = sa.and_(ratio <= _EXACT_RATIO, total <= _MAX_TOTAL,
                    reserved >= sa.literal_column('0'), reserved <= total)
    return compiler.process(sa.case(
        (exact, sa.cast(product, sa.BigInteger) + _REAL),
        else_=sa.func.floor(product)), **kw)


def free(whole, used):
    """SQL: the room left, ``whole`` (``whole_capacity``) minus ``used``,
    never below zero (an inventory lowered under its usage has none)."""
    return sa.case((whole > used, whole - used), else_=0)


def most_of(room, inv=inventories):
    """SQL: the most one allocation can take of ``room`` (``free``) before
    step_size and min_unit: at most max_unit, so the cast to an integer
    is exact and in range."""
    return sa.cast(sa.case((room < inv.c.max_unit, room),
                           else_=inv.c.max_unit), sa.BigInteger)


def stepped(most, inv=inventories):
    """SQL: ``most`` (``most_of``) brought down to a multiple of
    step_size; 0 when that is below min_unit. With ``most_of``, the
    largest single amount that fits in the room left."""
    stepped = most - most % inv.c.step_size
    return sa.case((stepped >= inv.c.min_unit, stepped), else_=0)


def times_fit(amount, room, inv=inventories):
    """SQL: how many allocations of ``amount`` (an integer expression)
    fit in ``room`` (``free``) one after another; 0 when the amount
    breaks min_unit, max_unit or step_size."""
    allowed = sa.and_(inv.c.min_unit <= amount, inv.c.max_unit >= amount,
                      amount % inv.c.step_size == 0)
    return sa.case((allowed, _Quotient(room, amount)), else_=0)


class _Quotient(expression.FunctionElement):
    """floor(room / amount): whole times ``amount`` (a positive integer)
    goes into ``room`` (not negative)."""
    name = 'quotient'
    inherit_cache = True


@compiles(_Quotient)
def _quotient(element, compiler, **kw):
    room, amount = element.clauses
    return compiler.process(sa.func.floor(room / amount), **kw)


@compiles(_Quotient, 'sqlite')
def _quotient_sqlite(element, compiler, **kw):
    """SQLite: the quotient cast to INTEGER (a truncation, the floor for
    these) and made a real again, as floor() gives it, wherever it fits
    an integer; floor() beyond."""
    room, amount = element.clauses
    # Each part written where it appears (its bound values are
    # positional).
    parts = [compiler.process(part, **kw)
             for part in (room, room, amount, room, amount)]
    return ("CASE WHEN %s < 9.0e18 THEN CAST(%s / (%s + 0.0) AS INTEGER) "
            "+ 0.0 ELSE floor(%s / (%s + 0.0)) END" % tuple(parts))


def fits(amount, used, inv=inventories):
    """SQL condition: ``amount`` more fits this inventory row given ``used``."""
    if amount > MAX_INT:
        # Beyond every max_unit (and beyond what the database's integers
        # hold, so never sent to it): fits nowhere.
        return sa.false()
    amount = sa.literal(amount, sa.Integer)
    return sa.and_(
        capacity(inv) >= used + amount,
        inv.c.min_unit <= amount,
        inv.c.max_unit >= amount,
        amount % inv.c.step_size == 0,
    )


def providers_with_room(class_id, amount):
    """Subquery of the provider ids with room for ``amount`` of the class:
    one pass over that class's inventories and allocations (grouped once,
    not summed again per provider)."""
    usage = (sa.select(allocations.c.resource_provider_id,
                       sa.func.sum(allocations.c.used).label('used'))
             .where(allocations.c.resource_class_id == class_id)
             .group_by(allocations.c.resource_provider_id)
             .subquery())
    used = sa.func.coalesce(usage.c.used, 0)
    return (sa.select(inventories.c.resource_provider_id)
            .outerjoin(usage, usage.c.resource_provider_id
                       == inventories.c.resource_provider_id)
            .where(inventories.c.resource_class_id == class_id,
                   fits(amount, used)))


def provider_has_room(provider_id_col, class_id, amount):
    """SQL condition: the provider has inventory of the class with room,
    each provider charged only its own allocations."""
    return provider_id_col.in_(providers_with_room(class_id, amount))


def room_per_provider(provider_id_col, class_id, amount):
    """SQL condition, correlated to ``provider_id_col`` and judged provider
    by provider (conditions.found): the provider has inventory of the
    class with room, its own allocations counted."""
    used = usage_of(inventories.c.resource_provider_id,
                    inventories.c.resource_class_id)
    return conditions.found(
        sa.select(sa.literal(1)).select_from(inventories).where(
            inventories.c.resource_provider_id == provider_id_col,
            inventories.c.resource_class_id == class_id,
            fits(amount, used)))


def providers_with_room_for_all(wanted):
    """Subquery of the provider ids with room for every (class id,
    amount) of ``wanted`` (each class once): one pass over the
    inventories of those classes, their usage grouped once, the matches
    counted per provider. (PostgreSQL plans and runs this in a fraction
    of the time of one IN subquery per class.)"""
    class_ids = sorted(class_id for class_id, _ in wanted)
    usage = (sa.select(allocations.c.resource_provider_id,
                       allocations.c.resource_class_id,
                       sa.func.sum(allocations.c.used).label('used'))
             .where(allocations.c.resource_class_id.in_(class_ids))
             .group_by(allocations.c.resource_provider_id,
                       allocations.c.resource_class_id)
             .subquery())
    used = sa.func.coalesce(usage.c.used, 0)
    return (sa.select(inventories.c.resource_provider_id)
            .outerjoin(usage, sa.and_(
                usage.c.resource_provider_id
                == inventories.c.resource_provider_id,
                usage.c.resource_class_id
                == inventories.c.resource_class_id))
            .where(sa.or_(*[
                sa.and_(inventories.c.resource_class_id == class_id,
                        fits(amount, used))
                for class_id, amount in wanted]))
            .group_by(inventories.c.resource_provider_id)
            .having(sa.func.count() == len(wanted)))
