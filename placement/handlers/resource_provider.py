"""/resource_providers and /resource_providers/{uuid}."""
import uuid as uuidlib

from placement import (errors, gc_pause, providers, query, resource_classes,
                       traits)
from placement.handlers import util
from placement.operations import operation
from placement.policies import resource_provider as policies
from placement.schemas import resource_provider as schema


def render(version, row):
    base = '/resource_providers/%s' % row.uuid
    links = [('self', base), ('inventories', base + '/inventories'),
             ('usages', base + '/usages')]
    if version >= (1, 1):
        links.append(('aggregates', base + '/aggregates'))
    if version >= (1, 6):
        links.append(('traits', base + '/traits'))
    if version >= (1, 11):
        links.append(('allocations', base + '/allocations'))
    body = {'uuid': row.uuid, 'name': row.name, 'generation': row.generation,
            'links': [{'rel': rel, 'href': href} for rel, href in links]}
    if version >= (1, 14):
        body['parent_provider_uuid'] = row.parent_provider_uuid
        body['root_provider_uuid'] = row.root_provider_uuid
    return body


def modified(rows):
    return util.latest(*[row.updated_at or row.created_at for row in rows])


def _list_params(req, version):
    """The query string as upstream validates it: the last of repeated
    values (webob's MultiDict), but every member_of and required."""
    params = {key: value[-1] if isinstance(value, list) else value
              for key, value in req.params.items()}
    util.validate_query(params, schema.list_query(version))
    for key in ('member_of', 'required'):
        if key in params:
            params[key] = req.params[key]
    return params


def _unknown_trait(name):
    return errors.BadRequest('Invalid trait(s) in "required" parameter: '
                             'No such trait(s): %s.' % name)


def _filters(conn, params, version):
    """Turn the query string into ``providers.list_filtered`` arguments,
    or None when no provider can match.

    Upstream parses member_of, required and resources first, then checks
    in_tree, required traits, forbidden traits, aggregates and resource
    classes in that order, giving up with an empty list as soon as one
    matches nothing; an unknown trait or class is an error only if it is
    reached, so the checks keep that order.
    """
    member_of = required = wanted = None
    if 'member_of' in params:
        member_of = query.member_of(params['member_of'], version)
    if 'required' in params:
        required = query.required_traits(params['required'], version)
    if 'resources' in params:
        wanted = query.resources(params['resources'])
    # Upstream filters on name and uuid only when they are not empty.
    filters = {'name': params.get('name') or None,
               'uuid': params.get('uuid') or None}
    if params.get('in_tree'):
        tree = providers.get(conn, params['in_tree'])
        if tree is None:
            return None
        filters['in_tree'] = tree.root_provider_id
    if required is not None and not _trait_filters(conn, required, filters):
        return None
    if member_of is not None and not _aggregate_filters(conn, member_of,
                                                        filters):
        return None
    if wanted is not None:
        ids = resource_classes.ids_by_name(conn, wanted)
        unknown = [name for name in wanted if name not in ids]
        if unknown:
            if not _each_matches(conn, filters, ('required', 'member_of')):
                return None
            raise errors.BadRequest(
                'Invalid resource class in resources parameter: No such '
                'resource class %s.' % unknown[0])
        filters['resources'] = {ids[n]: amount for n, amount in wanted.items()}
    return filters


def filters(conn, params, version):
    """``_filters`` for other handlers that select providers with the
    listing's member_of, in_tree and required (same syntax, microversion
    rules and errors): ``providers.where`` arguments, or None."""
    return _filters(conn, params, version)


def _each_matches(conn, filters, keys):
    """Whether each of these filters, on its own, matches some provider."""
    return all(providers.any_match(conn, **{key: filters[key]})
               for key in keys if filters.get(key))


def _trait_filters(conn, required, filters):
    """Add the trait filters; False when the required ones match no
    provider before a forbidden one turns out unknown."""
    ids = traits.ids_by_name(conn, query.trait_names(required))
    for group in required.any_of:
        for name in sorted(group):
            if name not in ids:
                raise _unknown_trait(name)
    filters['required'] = [{ids[n] for n in group}
                           for group in required.any_of]
    unknown = sorted(required.forbidden - set(ids))
    if unknown:
        if not _each_matches(conn, filters, ('required',)):
            return False
        raise _unknown_trait(unknown[0])
    filters['forbidden_traits'] = {ids[n] for n in required.forbidden}
    return True


def _aggregate_filters(conn, member_of, filters):
    """Add the aggregate filters; False when no provider is in them."""
    known = providers.aggregate_ids(
        conn, set().union(member_of.forbidden, *member_of.any_of))
    groups = [{known[u] for u in group if u in known}
              for group in member_of.any_of]
    if not all(groups):
        return False
    filters['member_of'] = groups
    filters['forbidden_aggs'] = {known[u] for u in member_of.forbidden
                                 if u in known}
    return True


def _post_shows(version):
    """From 1.20 a new provider is shown (200), before only located (201)."""
    return version >= (1, 20)


def _post_answers(version):
    return {200: schema.provider} if _post_shows(version) else {201: None}


class Collection:
    @operation(
        'List resource providers, with filters.', policy=policies.LIST,
        query=schema.list_query, responses={200: schema.providers},
        name='list')
    def on_get(self, req, resp):
        util.authorize(req, policies.LIST)
        version = req.context.version
        params = _list_params(req, version)
        # A whole cloud's listing builds ten small objects per provider.
        with gc_pause.paused():
            with req.context.db.reader() as conn:
                filters = _filters(conn, params, version)
                rows = [] if filters is None else providers.list_filtered(
                    conn, **filters)
            util.send_json(req, resp, {'resource_providers': [
                render(version, row) for row in rows]},
                last_modified=modified(rows))

    @operation(
        'Create a resource provider.', policy=policies.CREATE,
        body=schema.post, responses=_post_answers,
        errors={409: [errors.DUPLICATE_NAME], 415: []}, location=True,
        cached=_post_shows, name='create')
    def on_post(self, req, resp):
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        version = req.context.version
        data = util.read_json(req, schema.post(version))
        rp_uuid = str(uuidlib.UUID(data['uuid'])) if data.get('uuid') \
            else str(uuidlib.uuid4())
        try:
            row = req.context.db.write(providers.create, rp_uuid,
                                       data['name'],
                                       data.get('parent_provider_uuid'))
        except providers.Duplicate as duplicate:
            with req.context.db.reader() as conn:
                raise providers.duplicate_conflict(conn, duplicate)
        location = '/resource_providers/%s' % row.uuid
        if _post_shows(version):
            util.send_json(req, resp, render(version, row),
                           last_modified=modified([row]))
            resp.location = location
        else:
            util.no_content(req, resp, 201, location=location, cached=False)


class Item:
    @operation(
        'Show one resource provider.', policy=policies.SHOW,
        responses={200: schema.provider}, errors={404: []}, name='show')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn, errors.past_handler():
            row = providers.get_or_404(conn, uuid)
        util.send_json(req, resp, render(req.context.version, row),
                       last_modified=modified([row]))

    @operation(
        'Rename a resource provider or change its parent.',
        policy=policies.UPDATE, body=schema.put,
        responses={200: schema.provider},
        errors={404: [], 409: [errors.DUPLICATE_NAME], 415: []}, name='update')
    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        version = req.context.version
        data = util.read_provider_body(req, schema.put(version), uuid)

        def update(conn):
            with errors.past_handler():
                row = providers.get_or_404(conn, uuid)
            return row.updated_at, providers.update(
                conn, row, data['name'], data.get('parent_provider_uuid'),
                set_parent='parent_provider_uuid' in data,
                allow_reparent=version >= (1, 37))

        # Upstream dates the answer with the provider's updated_at as read
        # before this update: none at all for its first one.
        previous_update, row = req.context.db.write(update)
        util.send_json(req, resp, render(version, row),
                       last_modified=previous_update)
        if previous_update is None:
            resp.delete_header('last-modified')

    @operation(
        'Delete a resource provider.', policy=policies.DELETE,
        responses={204: None},
        errors={404: [], 409: [errors.PROVIDER_IN_USE,
                               errors.PROVIDER_CANNOT_DELETE_PARENT]},
        cached=False,
        name='delete')
    def on_delete(self, req, resp, uuid):
        util.authorize(req, policies.DELETE)

        def delete(conn):
            providers.delete(conn, providers.get_or_404(
                conn, uuid, 'No resource provider with uuid %s found for '
                'delete'))

        req.context.db.write(delete)
        util.no_content(req, resp, cached=False)
