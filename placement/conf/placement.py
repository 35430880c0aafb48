from oslo_config import cfg

GROUP = cfg.OptGroup('placement', title='Placement service options')
OPTS = [
    cfg.BoolOpt('randomize_allocation_candidates', default=False,
                help='Shuffle allocation candidates before applying a limit.'),
    cfg.StrOpt('incomplete_consumer_project_id',
               default='00000000-0000-0000-0000-000000000000',
               help='Project recorded for consumers created without one.'),
    cfg.StrOpt('incomplete_consumer_user_id',
               default='00000000-0000-0000-0000-000000000000',
               help='User recorded for consumers created without one.'),
    cfg.IntOpt('allocation_conflict_retry_count', default=10, min=0,
               help='Internal retries of an allocation write that lost a '
                    'provider generation race.'),
    cfg.IntOpt('max_allocation_candidates', default=-1, min=-1,
               help='Most allocation candidates generated per request '
                    '(-1: no limit).'),
    cfg.StrOpt('allocation_candidates_generation_strategy',
               default='depth-first', choices=['depth-first', 'breadth-first'],
               help='depth-first fills candidates tree by tree; breadth-first '
                    'takes one candidate from each tree in turn.'),
]


def register_opts(conf):
    # A fresh OptGroup per ConfigOpts: a shared one would share overrides.
    conf.register_group(cfg.OptGroup(GROUP.name, title=GROUP.title))
    conf.register_opts(OPTS, group=GROUP.name)
