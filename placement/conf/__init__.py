"""Configuration: upstream Placement's groups, option names and defaults."""
import os

from oslo_config import cfg

from placement import logs
from placement.conf import api, database, placement as placement_opts, workarounds
from placement.conf import healthcheck, metrics, sizelimit

_MODULES = (api, database, placement_opts, workarounds, healthcheck, metrics,
            sizelimit)
DEFAULT_CONFIG_DIR = '/etc/placement'


def register_opts(conf):
    for module in _MODULES:
        module.register_opts(conf)
    logs.register_opts(conf)


def list_opts():
    """Entry point for oslo-config-generator (namespace ``placement``)."""
    return [(module.GROUP.name, getattr(module, 'SAMPLE_OPTS', module.OPTS))
            for module in _MODULES]


def config_files():
    """The placement.conf upstream would read: $OS_PLACEMENT_CONFIG_DIR, else /etc/placement."""
    config_dir = os.environ.get('OS_PLACEMENT_CONFIG_DIR', DEFAULT_CONFIG_DIR)
    path = os.path.join(config_dir, 'placement.conf')
    return [path] if os.path.exists(path) else []


def load(args=None, files=None):
    """A fresh ConfigOpts holding our options, parsed from the config file."""
    conf = cfg.ConfigOpts()
    register_opts(conf)
    conf(args if args is not None else [], project='placement',
         default_config_files=config_files() if files is None else files,
         validate_default_values=True)
    check_values(conf)
    return conf


def check_values(conf):
    """Read every option once so a bad value fails at start-up, naming it."""
    for module in _MODULES:
        for opt in module.OPTS:
            try:
                getattr(conf[module.GROUP.name], opt.dest)
            except (ValueError, cfg.Error) as exc:
                raise SystemExit('Invalid value for [%s] %s: %s'
                                 % (module.GROUP.name, opt.name, exc))
