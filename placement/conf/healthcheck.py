"""[healthcheck]: oslo.middleware's health check options, at GET
/healthcheck, with our database check as the default backend.

The options are oslo.middleware's own (registered here so a bad value
fails at start-up like ours); only the default of ``backends`` differs.
"""
import copy

from oslo_config import cfg
from oslo_middleware.healthcheck import opts

GROUP = cfg.OptGroup('healthcheck', title='Health check (GET /healthcheck)')
# The name of placement.health.DatabaseCheck's entry point.
DATABASE_BACKEND = 'placement_database'
DEFAULT_BACKENDS = [DATABASE_BACKEND]
OPTS = (opts.HEALTHCHECK_OPTS + opts.DISABLE_BY_FILE_OPTS
        + opts.DISABLE_BY_FILES_OPTS + opts.ENABLE_BY_FILES_OPTS)


def _sample_opts():
    """The options as the sample file should show them: our default."""
    shown = []
    for opt in OPTS:
        if opt.dest == 'backends':
            opt = copy.deepcopy(opt)
            opt.default = list(DEFAULT_BACKENDS)
        shown.append(opt)
    return shown


SAMPLE_OPTS = _sample_opts()


def register_opts(conf):
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
    conf.set_default('backends', DEFAULT_BACKENDS, group=GROUP.name)
