"""openstack resource provider tree show <uuid>"""
from placement.cli import base


class ShowTree(base.ViewCommand):
    """Show the whole tree holding a resource provider, from its root.

    Each provider with its name, uuid, consumers and, for each inventory,
    its usage as a bar with used/capacity (capacity: (total - reserved) *
    allocation_ratio). The provider asked for is marked with "<=". With
    -f json or -f yaml: the JSON of GET /resource_providers/{uuid}/tree
    (traits, aggregates, every inventory figure).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'uuid', metavar='<uuid>',
            help='UUID of a resource provider of the tree')
        return parser

    def fetch(self, parsed_args):
        self.asked = parsed_args.uuid
        return self.client.get(
            '/resource_providers/%s/tree' % parsed_args.uuid,
            route='/resource_providers/{uuid}/tree')

    def render(self, body, parsed_args):
        lines = list(self._node(body['root'], '', '', True))
        # Bars in one column, whatever the depth; figures right-aligned.
        label = max((len(line[0]) + len(line[1]) for line in lines
                     if len(line) > 1), default=0)
        used_w = max((len(str(line[2])) for line in lines if len(line) > 1),
                     default=0)
        for line in lines:
            if len(line) == 1:
                self.write(line[0])
                continue
            prefix, name, used, capacity = line
            self.write('%s%s %s %*d/%d' % (
                prefix, name.ljust(label - len(prefix)),
                base.bar(used, capacity), used_w, used, capacity))
        count = body['provider_count']
        self.write('%d provider%s' % (count, '' if count == 1 else 's'))

    def _node(self, node, prefix, connector, last):
        """The lines for ``node`` and its descendants: (text,) for a
        provider, (prefix, class, used, capacity) for an inventory."""
        consumers = node['consumer_count']
        line = '%s%s%s (%s)' % (prefix, connector,
                                node['name'] if node['name'] is not None
                                else '(no name)', node['uuid'])
        if consumers:
            line += ', %d consumer%s' % (consumers,
                                         '' if consumers == 1 else 's')
        if _same_uuid(node['uuid'], self.asked):
            line += '  <='
        yield (line,)
        inner = prefix + ('' if not connector else
                          '    ' if last else '|   ')
        children = node['children']
        detail = inner + ('|   ' if children else '    ')
        for name, inv in sorted(node['inventories'].items()):
            yield detail, name, inv['used'], inv['capacity']
        for index, child in enumerate(children):
            end = index == len(children) - 1
            yield from self._node(child, inner, '`-- ' if end else '|-- ',
                                  end)


def _same_uuid(a, b):
    return a.replace('-', '').lower() == b.replace('-', '').lower()
