"""[oslo_middleware] max_request_body_size: oslo.middleware's request body
limit, with our default of 10 MiB rather than OpenStack's usual 112 KiB.

Upstream Placement sets no limit at all, and a client that works with it
must work with us: a reshape or a batch of allocations for a dense host
can pass 112 KiB, no real request comes near 10 MiB, and the limit still
keeps a hostile body from being read into memory without end.
"""
import copy

from oslo_config import cfg
from oslo_middleware import sizelimit

GROUP = cfg.OptGroup('oslo_middleware', title='oslo.middleware options')
DEFAULT = 10 * 1024 * 1024


def _opts():
    """oslo.middleware's options, copied with our default (its own
    objects stay as other services in the process expect them)."""
    opts = [copy.deepcopy(opt) for opt in sizelimit.OPTS]
    for opt in opts:
        if opt.dest == 'max_request_body_size':
            opt.default = DEFAULT
    return opts


OPTS = _opts()


def register_opts(conf):
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
