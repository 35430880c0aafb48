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
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)
