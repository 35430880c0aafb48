"""placement-status upgrade check: 0 success, 1 warning, 2 failure."""
import argparse
import sys

import sqlalchemy as sa

from placement import conf as conf_mod
from placement.db import engine as db_engine
from placement.db import sync
from placement.db.tables import consumers, resource_providers

SUCCESS, WARNING, FAILURE = 0, 1, 2
NAMES = {SUCCESS: 'Success', WARNING: 'Warning', FAILURE: 'Failure'}


def check_schema(engine):
    with engine.connect() as conn:
        current = sync.current_revision(conn)
    head = sync.head_revision()
    if current != head:
        return FAILURE, ('Database schema is at %s, expected %s: run '
                         'placement-manage db sync.' % (current, head))
    return SUCCESS, None


def check_incomplete_consumers(engine, conf):
    """Consumers recorded with the placeholder project (pre-1.8 writes)."""
    with engine.connect() as conn:
        from placement.db.tables import projects
        count = conn.execute(
            sa.select(sa.func.count()).select_from(consumers.join(
                projects, consumers.c.project_id == projects.c.id))
            .where(projects.c.external_id
                   == conf.placement.incomplete_consumer_project_id)).scalar()
    if count:
        return WARNING, ('There are %d incomplete consumers (no real project '
                         'or user).' % count)
    return SUCCESS, None


def check_root_providers(engine):
    with engine.connect() as conn:
        missing = conn.execute(sa.select(sa.func.count()).where(
            resource_providers.c.root_provider_id.is_(None))).scalar()
    if missing:
        return FAILURE, ('%d resource providers have no root provider id.'
                         % missing)
    return SUCCESS, None


def main(argv=None):
    parser = argparse.ArgumentParser(prog='placement-status')
    parser.add_argument('--config-file', action='append', default=None)
    commands = parser.add_subparsers(dest='category', required=True)
    upgrade = commands.add_parser('upgrade')
    upgrade.add_subparsers(dest='action', required=True).add_parser('check')
    args = parser.parse_args(argv)
    conf = conf_mod.load(files=args.config_file)
    engine = db_engine.create_engine(conf.placement_database)
    checks = [('Database schema', lambda: check_schema(engine)),
              ('Root provider ids', lambda: check_root_providers(engine)),
              ('Incomplete consumers',
               lambda: check_incomplete_consumers(engine, conf))]
    worst = SUCCESS
    for title, check in checks:
        try:
            code, detail = check()
        except Exception as exc:  # an unreachable database is a failure
            code, detail = FAILURE, str(exc)
        worst = max(worst, code)
        print('Check: %s\n  Result: %s%s' % (
            title, NAMES[code], '\n  Details: %s' % detail if detail else ''))
    return worst


if __name__ == '__main__':
    sys.exit(main())
