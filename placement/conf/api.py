from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='API options')
OPTS = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Use keystonemiddleware to authenticate'),
                        ('noauth2', 'No authentication; for testing only')],
               deprecated_group='DEFAULT',
               help='How callers are authenticated.'),
]


def register_opts(conf):
    # A fresh OptGroup per ConfigOpts: a shared one would share overrides.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
