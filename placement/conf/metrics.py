"""[metrics]: the Prometheus metrics at GET /metrics (our extension)."""
from oslo_config import cfg

GROUP = cfg.OptGroup('metrics', title='Prometheus metrics (GET /metrics)')
OPTS = [
    cfg.BoolOpt('enabled', default=True,
                help='Serve Prometheus metrics at GET /metrics to callers '
                     'the placement:metrics:show policy rule allows '
                     '(default: admin). When False, GET /metrics answers '
                     '404 as upstream Placement does.'),
]


def register_opts(conf):
    # A fresh OptGroup per ConfigOpts: a shared one would share overrides.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
