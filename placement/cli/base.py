"""What the commands share: a ShowOne whose machine formats (``-f json``,
``-f yaml``, ...) print the route's JSON as it came, and whose default
(``table``) prints a rendering made for people; usage bars."""
from osc_lib.command import command


class ViewCommand(command.ShowOne):
    """``take_action`` returns the route's JSON body as the columns (its
    top-level keys) and their values; ``render`` writes the text the
    table format prints."""

    def take_action(self, parsed_args):
        body = self.fetch(parsed_args)
        return tuple(body), tuple(body.values())

    def produce_output(self, parsed_args, column_names, data):
        if parsed_args.formatter != 'table' or parsed_args.columns:
            return super().produce_output(parsed_args, column_names, data)
        self.render(dict(zip(column_names, data)), parsed_args)
        return 0

    @property
    def client(self):
        return self.app.client_manager.placement_ops

    def write(self, text=''):
        self.app.stdout.write(text + '\n')

    def table(self, columns, rows, parsed_args):
        """A table drawn by the table formatter (honouring its
        --max-width, --fit-width and --print-empty)."""
        self.formatter.emit_list(columns, rows, self.app.stdout, parsed_args)

    def fetch(self, parsed_args):
        raise NotImplementedError

    def render(self, body, parsed_args):
        raise NotImplementedError


BAR_WIDTH = 20


def bar(used, capacity, width=BAR_WIDTH):
    """``[#####...............]``: the share of ``capacity`` that ``used``
    takes, rounded to the nearest character (never an empty bar for some
    use, never a full one while room is left); ``!`` past the end when
    usage is over capacity."""
    if capacity <= 0:
        filled = width if used > 0 else 0
    else:
        filled = round(width * used / capacity)
        if used > 0:
            filled = max(filled, 1)
        if used < capacity:
            filled = min(filled, width - 1)
        filled = min(filled, width)
    over = '!' if used > capacity else ''
    return '[%s%s]%s' % ('#' * filled, '.' * (width - filled), over)


def resources_param(values):
    """``--resource VCPU=4 --resource MEMORY_MB=512`` as the API's
    ``VCPU:4,MEMORY_MB:512``."""
    from osc_lib import exceptions
    pairs = []
    for value in values:
        for item in value.split(','):
            name, sep, amount = item.partition('=')
            if not sep or not name or not amount:
                raise exceptions.CommandError(
                    'Arguments to --resource must be of form '
                    '<resource_class>=<value>, not %r' % item)
            pairs.append('%s:%s' % (name.strip(), amount.strip()))
    return ','.join(pairs)


def required_params(required, forbidden):
    """``--required``/``--forbidden`` as ``required`` query values, as
    osc-placement sends them: each comma list of required traits (any
    of them, 1.39) as its own ``in:`` value, the single required traits
    and the forbidden ones (``!``) together in one more."""
    values = ['in:' + item for item in required if ',' in item]
    single = [item for item in required if ',' not in item]
    single += ['!' + item for item in forbidden]
    if single:
        values.append(','.join(single))
    return values
