"""openstack placement capacity"""
from placement.cli import base

FIGURES = ('providers', 'total', 'reserved', 'capacity', 'used', 'free',
           'largest_allocation')
HEADINGS = ('Resource Class', 'Providers', 'Total', 'Reserved', 'Capacity',
            'Used', 'Free', 'Largest Allocation')
GROUP_NAMES = {'aggregate': 'Aggregate', 'root': 'Root Provider',
               'trait': 'Trait'}
NO_KEY = {'aggregate': '(no aggregate)', 'trait': '(no trait)',
          'root': '(none)'}


def member_of_value(value):
    """As osc-placement sends --member-of (``in:`` before the uuids),
    but a value already saying ``in:`` or ``!`` (forbidden, 1.32) is sent
    as it is."""
    return value if value.startswith(('in:', '!')) else 'in:' + value


class ShowCapacity(base.ViewCommand):
    """Show the capacity of the cloud, or of the providers selected.

    Per resource class: the providers with inventory of it, their total,
    reserved, capacity (after the allocation ratio), used and free amounts
    and the largest single allocation now possible; per aggregate, root
    provider or trait with --group-by. With --resource: how many more
    such requests fit now, and the providers (--method provider) or
    trees (--method tree, or sharing to lend sharing providers' room to
    the trees that lack a class) where most fit. With -f json or -f yaml: the
    JSON of GET /capacity.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--resource', metavar='<resource_class>=<value>',
            action='append', default=[], dest='resources',
            help='An amount of a resource class one request takes (e.g. '
                 '--resource VCPU=4 --resource MEMORY_MB=2048): count how '
                 'many more such requests fit. May be repeated.')
        parser.add_argument(
            '--member-of', metavar='<member_of>', action='append',
            default=[],
            help='Only providers in one of these aggregates (a '
                 'comma-separated list of aggregate UUIDs; ! before one '
                 'to exclude it, microversion 1.32). May be repeated, '
                 'each narrowing further (1.24).')
        parser.add_argument(
            '--in-tree', metavar='<in_tree>',
            help='Only the providers of the tree holding this provider '
                 '(microversion 1.14).')
        parser.add_argument(
            '--required', metavar='<required>', action='append',
            default=[],
            help='Only providers with this trait (1.18); a '
                 'comma-separated list for any of them (1.39). May be '
                 'repeated.')
        parser.add_argument(
            '--forbidden', metavar='<forbidden>', action='append',
            default=[],
            help='Only providers without this trait (1.22). May be '
                 'repeated.')
        parser.add_argument(
            '--group-by', choices=sorted(GROUP_NAMES),
            help='Also show the figures per aggregate, root provider or '
                 'trait.')
        parser.add_argument(
            '--resource-class', metavar='<resource_class>',
            action='append', default=[], dest='resource_classes',
            help='Only this resource class (shown even where there is '
                 'none). May be repeated.')
        parser.add_argument(
            '--method', choices=['provider', 'tree', 'sharing'],
            help='How --resource requests are counted: each provider '
                 'alone (provider, the default), each tree as a whole '
                 '(tree), or each tree with the room of the sharing '
                 'providers in its aggregates for the classes it lacks '
                 '(sharing).')
        parser.add_argument(
            '--top', metavar='<N>', type=int,
            help='With --resource: the N providers (or trees) where most '
                 'fit (default 5).')
        return parser

    def fetch(self, parsed_args):
        params = {
            'resources': base.resources_param(parsed_args.resources),
            'member_of': [member_of_value(value)
                          for value in parsed_args.member_of],
            'in_tree': parsed_args.in_tree,
            'required': base.required_params(parsed_args.required,
                                             parsed_args.forbidden),
            'group_by': parsed_args.group_by,
            'resource_class': ','.join(parsed_args.resource_classes),
            'method': parsed_args.method,
            'top': None if parsed_args.top is None else str(parsed_args.top),
        }
        return self.client.get('/capacity', params)

    def render(self, body, parsed_args):
        classes = body['resource_classes']
        if classes:
            self.table(HEADINGS, _rows(classes), parsed_args)
        else:
            self.write('No inventory on the providers selected.')
        group_by = body.get('group_by')
        fits = body.get('fits')
        if group_by:
            self.write()
            self._groups(body['groups'], group_by, fits is not None,
                         parsed_args)
        if fits is not None:
            self.write()
            wanted = ', '.join('%s=%s' % item
                               for item in fits['resources'].items())
            self.write('Fits: %d more of %s (method %s)'
                       % (fits['count'], wanted, fits['method']))
            if fits['top']:
                self.table(('Name', 'UUID', 'Fits'),
                           [(fit['name'], fit['uuid'], fit['fits'])
                            for fit in fits['top']], parsed_args)

    def _groups(self, groups, group_by, with_fits, parsed_args):
        columns = (GROUP_NAMES[group_by],)
        if group_by == 'root':
            columns += ('Name',)
        columns += HEADINGS
        if with_fits:
            columns += ('Fits',)
        rows = []
        for group in groups:
            lead = (group['key'] or NO_KEY[group_by],)
            if group_by == 'root':
                lead += (group.get('name', ''),)
            tail = (group['fits'],) if with_fits else ()
            classes = list(_rows(group['resource_classes'])) or [
                ('',) + ('',) * len(FIGURES)]
            for index, row in enumerate(classes):
                rows.append((lead if index == 0 else ('',) * len(lead)) +
                            row + (tail if index == 0 else ('',) * len(tail)))
        self.table(columns, rows, parsed_args)


def _rows(classes):
    for name in sorted(classes):
        figures = classes[name]
        yield (name,) + tuple(figures[key] for key in FIGURES)
