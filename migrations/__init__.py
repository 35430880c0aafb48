"""Alembic migrations: upstream Placement's schema, then our own additions."""
