"""Build a real Placement application on a fresh test database."""
from oslo_config import cfg
from oslo_middleware import cors
from oslo_policy import opts as policy_opts

from placement import app, conf as conf_mod
from placement.db import engine as db_engine
from placement.db import sync
from tests import dbs


def make_conf(url, overrides=None):
    """A ConfigOpts as placement.conf would give, without reading files.

    ``overrides`` maps (group, option) to a value.
    """
    conf = cfg.ConfigOpts()
    conf_mod.register_opts(conf)
    conf.register_opts(cors.CORS_OPTS, 'cors')
    policy_opts.set_defaults(conf)
    conf([], project='placement', default_config_files=[])
    conf.set_override('connection', url, group='placement_database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    for (group, name), value in (overrides or {}).items():
        conf.set_override(name, value, group=group)
    return conf


class Service:
    """A fresh database with our schema, and the WSGI app on top of it."""

    def __init__(self, overrides=None):
        self.database = dbs.TestDatabase()
        self.conf = make_conf(self.database.url, overrides)
        self.engine = db_engine.create_engine(self.conf.placement_database)
        sync.upgrade(self.engine)
        self.app = app.build_app(self.conf, self.engine)

    def close(self):
        self.engine.dispose()
        self.database.drop()
