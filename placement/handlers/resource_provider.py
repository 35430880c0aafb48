"""/resource_providers and /resource_providers/{uuid}."""
import uuid as uuidlib

from placement import errors, providers, query, resource_classes, traits
from placement.handlers import util
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


def _filters(conn, params, version):
    """Turn the query string into ``providers.list_filtered`` arguments,
    or None when no provider can match (unknown aggregate, tree)."""
    filters = {'name': params.get('name'), 'uuid': params.get('uuid')}
    if 'member_of' in params:
        member_of = query.member_of(params['member_of'], version)
        known = providers.aggregate_ids(
            conn, set().union(member_of.forbidden, *member_of.any_of))
        groups = [{known[u] for u in group if u in known}
                  for group in member_of.any_of]
        if not all(groups):
            return None
        filters['member_of'] = groups
        filters['forbidden_aggs'] = {known[u] for u in member_of.forbidden
                                     if u in known}
    if 'resources' in params:
        wanted = query.resources(params['resources'])
        ids = resource_classes.ids_by_name(conn, wanted)
        for name in wanted:
            if name not in ids:
                raise errors.BadRequest(
                    'Invalid resource class in resources parameter: No such '
                    'resource class %s.' % name)
        filters['resources'] = {ids[n]: amount for n, amount in wanted.items()}
    if 'in_tree' in params:
        tree = providers.get(conn, params['in_tree'])
        if tree is None:
            return None
        filters['in_tree'] = tree.root_provider_id
    if 'required' in params:
        required = query.required_traits(params['required'], version)
        ids = traits.ids_or_400(conn, query.trait_names(required))
        filters['required'] = [{ids[n] for n in group}
                               for group in required.any_of]
        filters['forbidden_traits'] = {ids[n] for n in required.forbidden}
    return filters


class Collection:
    def on_get(self, req, resp):
        util.authorize(req, policies.LIST)
        version = req.context.version
        params = util.query(req, schema.list_query(version))
        with req.context.db.reader() as conn:
            filters = _filters(conn, params, version)
            rows = [] if filters is None else providers.list_filtered(
                conn, **filters)
        util.send_json(req, resp, {'resource_providers': [
            render(version, row) for row in rows]},
            last_modified=modified(rows))

    def on_post(self, req, resp):
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        version = req.context.version
        data = util.read_json(req, schema.post(version))
        rp_uuid = str(uuidlib.UUID(data['uuid'])) if data.get('uuid') \
            else str(uuidlib.uuid4())
        row = req.context.db.write(providers.create, rp_uuid, data['name'],
                                   data.get('parent_provider_uuid'))
        location = '/resource_providers/%s' % row.uuid
        if version >= (1, 20):
            util.send_json(req, resp, render(version, row),
                           last_modified=modified([row]))
            resp.location = location
        else:
            util.no_content(req, resp, 201, location=location, cached=False)


class Item:
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn:
            row = providers.get_or_404(conn, uuid)
        util.send_json(req, resp, render(req.context.version, row),
                       last_modified=modified([row]))

    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        version = req.context.version
        data = util.read_json(req, schema.put(version))

        def update(conn):
            row = providers.get_or_404(conn, uuid)
            return providers.update(
                conn, row, data['name'], data.get('parent_provider_uuid'),
                set_parent='parent_provider_uuid' in data,
                allow_reparent=version >= (1, 37))

        row = req.context.db.write(update)
        util.send_json(req, resp, render(version, row),
                       last_modified=modified([row]))

    def on_delete(self, req, resp, uuid):
        util.authorize(req, policies.DELETE)

        def delete(conn):
            providers.delete(conn, providers.get_or_404(
                conn, uuid, 'No resource provider with uuid %s found for '
                'delete'))

        req.context.db.write(delete)
        util.no_content(req, resp, cached=False)
