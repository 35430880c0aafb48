"""Operator views (our extension; upstream answers 404 on these paths):
GET /resource_providers/{uuid}/tree and GET /capacity. Both only read.

How ``fits`` counts requests on nested trees and sharing providers is
told in ``placement.cloud_capacity`` and, to clients, in the response
schema's description and the answer's ``method``.
"""
from placement import (cloud_capacity, errors, gc_pause, provider_tree,
                       providers, query, resource_classes)
from placement.handlers import resource_provider, util
from placement.operations import operation
from placement.policies import operator as policies
from placement.schemas import operator as schema
from placement.schemas.inventory import MAX_INT

# The provider filters, taken with GET /resource_providers' syntax.
_FILTERS = ('member_of', 'in_tree', 'required')
_NEEDS_RESOURCES = ('method', 'top')
DEFAULT_TOP = 5


class ProviderTree:
    @operation(
        "Show the whole tree holding a resource provider, from its root: "
        "each provider's traits, aggregates, inventories (with capacity "
        'after the allocation ratio, usage and free room), the number of '
        'consumers with allocations on it, and its children by name. At '
        'every microversion.', policy=policies.TREE, since=(1, 0),
        query=schema.TREE_QUERY, responses={200: schema.TREE},
        errors={404: []}, extension=True, name='show')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.TREE)
        util.query(req, schema.TREE_QUERY)
        with gc_pause.paused():
            with req.context.db.replica_reader() as conn:
                body, changed = provider_tree.load(conn, uuid)
            util.send_json(req, resp, body,
                           last_modified=util.latest(changed))


def _listed(params, name):
    """Every value of a repeatable parameter, comma lists split."""
    return [item for value in query.as_list(params.get(name))
            for item in value.split(',')]


def _class_ids(conn, names, what):
    ids = resource_classes.ids_by_name(conn, names)
    for name in names:
        if name not in ids:
            raise errors.BadRequest(
                'Invalid resource class in %s parameter: No such resource '
                'class %s.' % (what, name))
    return ids


def _top(params):
    return int(params.get('top', DEFAULT_TOP))


def _wanted(params):
    """The parsed ``resources`` ({name: amount}), or None; ``method`` and
    ``top`` only go with it."""
    if 'resources' not in params:
        for name in _NEEDS_RESOURCES:
            if name in params:
                raise errors.BadRequest(
                    'Invalid query string parameters: %s needs resources.'
                    % name)
        return None
    return query.resources(params['resources'])


class Capacity:
    @operation(
        'Show, per resource class, the providers with inventory of it and '
        'their total, reserved, capacity (after the allocation ratio), '
        'used and free amounts and the largest single allocation now '
        'possible; for the providers the filters (member_of, in_tree, '
        'required: the syntax and microversions of GET '
        '/resource_providers) select, the classes resource_class names, '
        'and per aggregate, root provider or trait with group_by. With '
        'resources (as GET /resource_providers takes them): how many more '
        'such requests fit now (fits; see its description for how nested '
        'trees and sharing providers count) and the providers (or trees) '
        'where most fit. At every microversion.',
        policy=policies.CAPACITY, since=(1, 0), query=schema.capacity_query,
        responses={200: schema.CAPACITY}, extension=True, name='show')
    def on_get(self, req, resp):
        util.authorize(req, policies.CAPACITY)
        version = req.context.version
        params = util.query(req, schema.capacity_query(version))
        wanted = _wanted(params)
        method = params.get('method', cloud_capacity.PROVIDER)
        group_by = params.get('group_by')
        named = _listed(params, 'resource_class')
        with req.context.db.replica_reader() as conn:
            class_ids = set(_class_ids(conn, named, 'resource_class')
                            .values()) if named else None
            wanted_ids = None
            if wanted is not None:
                ids = _class_ids(conn, wanted, 'resources')
                wanted_ids = {ids[name]: amount
                              for name, amount in wanted.items()}
            found = resource_provider.filters(
                conn, {key: params[key] for key in _FILTERS
                       if key in params}, version)
            body = _report(conn, found, class_ids, group_by, wanted_ids,
                           method, _top(params))
        if named:
            # Each class asked for is shown, with zeros where none is.
            zeros = dict.fromkeys(cloud_capacity.FIGURES, 0)
            for classes in [body['resource_classes']] + [
                    group['resource_classes']
                    for group in body.get('groups', ())]:
                for name in named:
                    classes.setdefault(name, dict(zeros))
        if wanted is not None:
            body['fits']['resources'] = wanted
        util.send_json(req, resp, body)


def _group_order(key):
    return (key is None, key or '')


def _report(conn, filters, class_ids, group_by, wanted, method, top):
    """The answer's body for ``providers.where`` ``filters`` (None: no
    provider matches)."""
    conditions = None if filters is None else providers.where(**filters)
    body = {'resource_classes': {}}
    if group_by:
        body.update(group_by=group_by, groups=[])
    if wanted is not None:
        body['fits'] = {'method': method, 'count': 0, 'top': []}
    if conditions is None:
        return body
    cloud = cloud_capacity.figures(conn, conditions, class_ids)
    body['resource_classes'] = cloud.get(None, (None, {}))[1]
    if wanted is not None and max(wanted.values()) > MAX_INT:
        # More than any inventory's max_unit: it fits nowhere (and is
        # more than the database's integers hold, so never sent there).
        wanted = None
    elif wanted is not None:
        count, best = cloud_capacity.fits(conn, conditions, wanted, method,
                                          top)
        body['fits'].update(count=count, top=best)
    if group_by:
        groups = cloud_capacity.figures(conn, conditions, class_ids,
                                        group_by)
        fitting = {} if wanted is None else cloud_capacity.fits_by_group(
            conn, conditions, wanted, method, group_by)
        for key in sorted(set(groups) | set(fitting), key=_group_order):
            name, classes = groups.get(key, (None, {}))
            group = {'key': key, 'resource_classes': classes}
            if group_by == 'root' and name is not None:
                group['name'] = name
            if 'fits' in body:
                group['fits'] = fitting.get(key, 0)
            body['groups'].append(group)
    return body
