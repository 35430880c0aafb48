from oslo_config import cfg

GROUP = cfg.OptGroup('placement_database', title='Placement database options')
OPTS = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL of the placement database.'),
    cfg.StrOpt('connection_parameters', default='',
               help='Extra query parameters appended to the connection URL.'),
    cfg.BoolOpt('sqlite_synchronous', default=True,
                help='If False, SQLite does not wait for writes to reach disk.'),
    cfg.StrOpt('slave_connection', secret=True,
               help='SQLAlchemy URL of a read replica. When set, GET '
                    '/allocation_candidates and the read-only operator '
                    'views (/allocation_candidates/explain, /capacity, '
                    '/resource_providers/{uuid}/tree) read from it; every '
                    'other request, and every write, uses connection.'),
    cfg.StrOpt('mysql_sql_mode', default='TRADITIONAL',
               help='SQL mode set on MySQL sessions.'),
    cfg.IntOpt('connection_recycle_time', default=3600,
               help='Seconds after which a pooled connection is replaced.'),
    cfg.IntOpt('max_pool_size', help='Maximum number of pooled connections.'),
    cfg.IntOpt('max_retries', default=10, min=-1,
               help='Database connection attempts at start-up (-1: until '
                    'one succeeds; 0: none). When all fail the service '
                    'starts anyway and answers 503 until the database is '
                    'back.'),
    cfg.IntOpt('retry_interval', default=10, min=0,
               help='Seconds between the connection attempts made at '
                    'start-up.'),
    cfg.IntOpt('max_overflow', help='Connections allowed beyond max_pool_size.'),
    cfg.IntOpt('connection_debug', default=0, min=0, max=100,
               help='SQL logging verbosity (0: none, 100: everything).'),
    cfg.BoolOpt('connection_trace', default=False,
                help='Accepted for compatibility; not used.'),
    cfg.IntOpt('pool_timeout', help='Seconds to wait for a pooled connection.'),
    cfg.BoolOpt('sync_on_startup', default=False,
                help='Create or upgrade the schema when the API starts.'),
]


def register_opts(conf):
    # A fresh OptGroup per ConfigOpts: a shared one would share overrides.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
