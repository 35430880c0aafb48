"""The capacity arithmetic, in one place, as SQL expressions.

A provider can take ``amount`` of a class when
``used + amount <= (total - reserved) * allocation_ratio`` and
``min_unit <= amount <= max_unit`` and ``amount % step_size == 0``.
Provider filters, allocation checks and candidate searches all use these.
"""
import sqlalchemy as sa

from placement.db import conditions
from placement.db.tables import allocations, inventories


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


def capacity(inv=inventories):
    return (inv.c.total - inv.c.reserved) * inv.c.allocation_ratio


def fits(amount, used, inv=inventories):
    """SQL condition: ``amount`` more fits this inventory row given ``used``."""
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
