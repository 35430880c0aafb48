"""openstack allocation candidate explain"""
import argparse
import textwrap

from placement.cli import base
from placement.cli import capacity


class _StartGroup(argparse.Action):
    """``--group N``: the options after it belong to request group N."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.current_group = values
        _groups(namespace).setdefault(values, {})


class _InGroup(argparse.Action):
    """An option of the current request group (the unsuffixed one before
    any ``--group``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        group = getattr(namespace, 'current_group', '')
        _groups(namespace).setdefault(group, {}).setdefault(
            self.dest, []).append(values)


def _groups(namespace):
    if getattr(namespace, 'groups', None) is None:
        namespace.groups = {}
    return namespace.groups


def query(parsed_args):
    """The query string of GET /allocation_candidates for the options,
    built as osc-placement's ``allocation candidate list`` builds it
    (group options suffixed with their group's name, ``member_of`` values
    with ``in:``, required and forbidden traits together), with the
    options it lacks (``--in-tree``, ``--root-required``,
    ``--same-subtree``)."""
    params = {}
    groups = getattr(parsed_args, 'groups', None) or {}
    for suffix, group in groups.items():
        params['resources' + suffix] = base.resources_param(
            group.get('resources', []))
        params['required' + suffix] = base.required_params(
            group.get('required', []), group.get('forbidden', []))
        member_of = group.get('member_of', [])
        if group.get('aggregate_uuid'):
            member_of = member_of + [','.join(group['aggregate_uuid'])]
        params['member_of' + suffix] = [capacity.member_of_value(value)
                                        for value in member_of]
        if group.get('in_tree'):
            params['in_tree' + suffix] = group['in_tree'][-1]
    if any(groups):
        # A numbered group: osc-placement sends the policy then.
        params['group_policy'] = parsed_args.group_policy
    if parsed_args.limit is not None:
        params['limit'] = str(parsed_args.limit)
    if parsed_args.root_required:
        params['root_required'] = ','.join(parsed_args.root_required)
    params['same_subtree'] = list(parsed_args.same_subtree)
    return params


class ExplainCandidates(base.ViewCommand):
    """Explain the allocation candidates of a request, step by step.

    Takes the options of "openstack allocation candidate list" and asks
    GET /allocation_candidates/explain (a placement-ng extension): the
    funnel of the search, each step with the providers (or trees) it
    leaves and examples of those it drops, with the reasons; with
    --provider, what became of those providers. With -f json or -f yaml:
    the JSON of the route.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--resource', metavar='<resource_class>=<value>',
            dest='resources', action=_InGroup,
            help='An amount of a resource class the providers of a '
                 'candidate must together be able to serve (of the '
                 'current --group). May be repeated, e.g. --resource '
                 'VCPU=4 --resource MEMORY_MB=2048.')
        parser.add_argument(
            '--limit', metavar='<limit>', type=int,
            help='At most this many candidates (microversion 1.16).')
        parser.add_argument(
            '--required', metavar='<required>', action=_InGroup,
            help='A required trait (1.17); a comma-separated list for any '
                 'of them (1.39). May be repeated.')
        parser.add_argument(
            '--forbidden', metavar='<forbidden>', action=_InGroup,
            help='A forbidden trait (1.22). May be repeated.')
        aggregates = parser.add_mutually_exclusive_group()
        aggregates.add_argument(
            '--member-of', metavar='<member_of>', action=_InGroup,
            help='A comma-separated list of aggregate UUIDs: providers in '
                 'one of them (1.21; ! before one to exclude it, 1.32). '
                 'May be repeated, each narrowing further (1.24).')
        aggregates.add_argument(
            '--aggregate-uuid', metavar='<aggregate_uuid>', action=_InGroup,
            help=argparse.SUPPRESS)
        parser.add_argument(
            '--in-tree', metavar='<in_tree>', action=_InGroup,
            help='Only providers of the tree holding this provider '
                 '(1.31; of the current --group).')
        parser.add_argument(
            '--group', metavar='<group>', action=_StartGroup,
            help='Start a request group (its suffix, e.g. 1 or _NIC, '
                 '1.25/1.33): the --resource, --required, --forbidden, '
                 '--member-of and --in-tree options after it are its own, '
                 'to be served by one provider.')
        parser.add_argument(
            '--group-policy', choices=['none', 'isolate'], default='none',
            metavar='<group_policy>',
            help='With numbered groups: may they share a provider (none, '
                 'the default) or not (isolate).')
        parser.add_argument(
            '--root-required', metavar='<trait>', action='append',
            default=[],
            help='A trait the root provider of a candidate must have; '
                 '!TRAIT: must not have (1.35). May be repeated.')
        parser.add_argument(
            '--same-subtree', metavar='<suffixes>', action='append',
            default=[],
            help='A comma-separated list of group suffixes whose '
                 'providers must be in one subtree (1.36). May be '
                 'repeated.')
        parser.add_argument(
            '--provider', metavar='<uuid>', action='append', default=[],
            help='Say what became of this provider at each step. May be '
                 'repeated.')
        parser.add_argument(
            '--long', action='store_true',
            help='Describe each step under its name.')
        parser.add_argument(
            '--examples', metavar='<N>', type=int,
            help='At most N examples of the providers dropped at each '
                 'step.')
        return parser

    def fetch(self, parsed_args):
        params = query(parsed_args)
        params['provider'] = list(parsed_args.provider)
        if parsed_args.examples is not None:
            params['examples'] = str(parsed_args.examples)
        return self.client.get('/allocation_candidates/explain', params,
                               route='/allocation_candidates/explain')

    def render(self, body, parsed_args):
        trees = len(body['trees'])
        self.write('%d candidate%s, from %d tree%s' % (
            body['candidates'], '' if body['candidates'] == 1 else 's',
            trees, '' if trees == 1 else 's'))
        for group in body['groups']:
            wanted = ', '.join('%s=%s' % item
                               for item in group['resources'].items())
            for funnel in group['funnels']:
                self.write()
                title = 'Request group %s' % _group_name(group['group'])
                if 'resource_class' in funnel:
                    title += ', %s=%s (class by class)' % (
                        funnel['resource_class'], funnel['amount'])
                elif wanted:
                    title += ', ' + wanted
                if funnel.get('judged_per_tree'):
                    title += (', %d sharing provider(s) judged per tree'
                              % funnel['judged_per_tree'])
                self.write(title + ':')
                self.table(
                    ('Step', 'Providers Left', 'Removed', 'Examples'),
                    [(_step(step, parsed_args.long), step['providers'],
                      step['removed'],
                      _reasons(step['examples']))
                     for step in funnel['steps']], parsed_args)
        sharing = body['sharing']
        if sharing['providers']:
            self.write()
            self.write('Sharing providers: %d, serving %d tree(s): %s' % (
                sharing['providers'], sharing['trees'], ', '.join(
                    '%s (%d)' % (example['name'], example['trees'])
                    for example in sharing['examples'])))
        self.write()
        self.write('Across groups, tree by tree:')
        self.table(
            ('Step', 'Trees Left', 'Candidates Left', 'Removed', 'Examples'),
            [(_step(step, parsed_args.long), _count(step['trees']),
              _count(step['candidates']), step['removed'],
              _reasons(step['examples'])) for step in body['steps']],
            parsed_args)
        if body['providers']:
            self.write()
            self.write('Providers asked about:')
            self.table(('Provider', 'Outcome', 'Candidates', 'Why'),
                       [_provider(provider)
                        for provider in body['providers']], parsed_args)


WRAP = 60


def _wrap(text, width=WRAP, indent=''):
    return '\n'.join(textwrap.wrap(text, width, subsequent_indent=indent)
                     or [''])


def _group_name(suffix):
    return '(unsuffixed)' if suffix == '' else suffix


def _count(value):
    return '-' if value is None else value


def _step(step, long):
    """The step's name (and class), over its description if ``long``."""
    name = step['step']
    if step.get('resource_class'):
        name += ' ' + step['resource_class']
    if long:
        name += '\n' + _wrap(step['description'], 36)
    return name


def _reasons(examples):
    return '\n'.join(_wrap('- ' + example['reason'], indent='  ')
                     for example in examples)


def _provider(provider):
    outcome = provider['outcome']
    if provider['step']:
        outcome += ' (%s)' % provider['step']
    why = []
    reason = provider['reason']
    if reason and reason not in [group.get('reason')
                                 for group in provider['groups']]:
        why.append(_wrap(reason))
    for group in provider['groups']:
        label = 'group %s' % _group_name(group['group'])
        if group.get('resource_class'):
            label += ' ' + group['resource_class']
        if group['kept']:
            line = '%s: kept' % label
        else:
            line = '%s: removed at %s' % (label, group.get('step'))
            if group.get('reason'):
                line += ': ' + group['reason']
        why.append(_wrap('- ' + line, indent='  '))
    name = provider['name'] if provider['name'] is not None else '-'
    return ('%s\n%s' % (name, provider['uuid']), outcome,
            provider['candidates'], '\n'.join(why))
