"""Template databases: one SQLite file per scenario, seeded once; a reset
copies a template into the live database with SQLite's online backup
API.

The backup writes the template's pages into the live file through
SQLite itself, inside one write transaction, so connections the
application keeps open stay valid and see the scenario at their next
statement: no file swapping, no reconnecting, and it is the same for
every worker process sharing the file.
"""
import os
import sqlite3
import threading

from oslo_config import cfg
from oslo_middleware import cors
from oslo_policy import opts as policy_opts

from placement import conf as conf_mod
from placement.db import engine as db_engine
from placement.db import sync
from placement.testcloud import scenario as scenario_mod
from placement.testcloud import seed

BASE = '_base'


def make_conf(db_path, synchronous=True):
    """A ConfigOpts for a test cloud on ``db_path``: noauth2, no files."""
    conf = cfg.ConfigOpts()
    conf_mod.register_opts(conf)
    conf.register_opts(cors.CORS_OPTS, 'cors')
    policy_opts.set_defaults(conf)
    conf([], project='placement', default_config_files=[])
    conf.set_override('connection', 'sqlite:///%s' % db_path,
                      group='placement_database')
    conf.set_override('sqlite_synchronous', synchronous,
                      group='placement_database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    return conf


def copy(source, target):
    """Copy the SQLite database ``source`` into ``target`` (created or
    overwritten in place)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _single_file(path):
    """Fold the write-ahead log back in: a template is one file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        conn.execute('PRAGMA journal_mode=DELETE')
    finally:
        conn.close()


class Templates:
    """Template files in ``directory``, built on first use. ``refs`` maps
    each scenario name to its reference (a built-in name or a path)."""

    def __init__(self, directory, refs):
        self.directory = directory
        self.refs = dict(refs)
        self.scenarios = {}
        self._lock = threading.Lock()
        os.makedirs(directory, exist_ok=True)

    def path(self, name):
        """The template of scenario ``name``, built unless it exists."""
        with self._lock:
            if name != BASE and name not in self.refs:
                raise KeyError(name)
            path = os.path.join(self.directory, '%s.sqlite' % name)
            if not os.path.exists(path):
                self._build(name, path)
            return path

    def scenario(self, name):
        if name not in self.scenarios:
            self.scenarios[name] = scenario_mod.load(self.refs[name])
        return self.scenarios[name]

    def _build(self, name, path):
        partial = path + '.partial'
        if name == BASE:
            engine = self._engine(partial)
            try:
                sync.upgrade(engine)
                db_engine.Database(engine).ensure_standard_names()
            finally:
                engine.dispose()
        else:
            loaded = self.scenario(name)
            base = os.path.join(self.directory, '%s.sqlite' % BASE)
            if not os.path.exists(base):
                self._build(BASE, base)
            copy(base, partial)
            engine = self._engine(partial)
            try:
                seed.seed(engine, loaded)
            finally:
                engine.dispose()
        _single_file(partial)
        os.replace(partial, path)

    @staticmethod
    def _engine(path):
        conf = make_conf(path, synchronous=False)
        return db_engine.create_engine(conf.placement_database)

    def restore(self, name, live_path):
        """Make the live database scenario ``name`` again."""
        copy(self.path(name), live_path)
