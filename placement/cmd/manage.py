"""placement-manage: db sync | db version | db stamp REVISION."""
import argparse
import sys

from placement import conf as conf_mod
from placement.db import engine as db_engine
from placement.db import sync


def main(argv=None):
    parser = argparse.ArgumentParser(prog='placement-manage')
    parser.add_argument('--config-file', action='append', default=None,
                        help='placement.conf to read (repeatable)')
    parser.add_argument('--config-dir', help='accepted for compatibility')
    commands = parser.add_subparsers(dest='category', required=True)
    db = commands.add_parser('db', help='database schema commands')
    db_commands = db.add_subparsers(dest='action', required=True)
    db_commands.add_parser('sync', help='create or upgrade the schema')
    db_commands.add_parser('version', help='print the schema revision')
    stamp = db_commands.add_parser('stamp', help='record a revision')
    stamp.add_argument('revision')
    db_commands.add_parser('online_data_migrations',
                           help='accepted for compatibility (nothing to do)')
    args = parser.parse_args(argv)

    conf = conf_mod.load(files=args.config_file)
    try:
        engine = db_engine.create_engine(conf.placement_database)
    except db_engine.ConfigurationError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.action == 'sync':
        try:
            sync.upgrade(engine)
        except sync.SchemaError as exc:
            print(exc, file=sys.stderr)
            return 1
        sync.sync_standard_names(engine)
    elif args.action == 'version':
        with engine.connect() as conn:
            print(sync.current_revision(conn))
    elif args.action == 'stamp':
        sync.stamp(engine, args.revision)
    elif args.action == 'online_data_migrations':
        print('Nothing to migrate.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
