"""/resource_providers/{uuid}/inventories[/{resource_class}]."""
from placement import errors, inventories, providers, resource_classes
from placement.handlers import util
from placement.policies import inventory as policies
from placement.schemas import inventory as schema

GENERATION_CONFLICT = 'resource provider generation conflict'


def _modified(rows):
    return util.latest(*[row.updated_at or row.created_at for row in rows])


def _send_one(req, resp, row, generation, status=200):
    body = inventories.render(row)
    body['resource_provider_generation'] = generation
    util.send_json(req, resp, body, status=status, last_modified=_modified([row]))


def _send_all(req, resp, rows, generation):
    util.send_json(req, resp, {
        'inventories': {name: inventories.render(row)
                        for name, row in rows.items()},
        'resource_provider_generation': generation,
    }, last_modified=_modified(rows.values()))


class Collection:
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.LIST)
        with req.context.db.reader() as conn:
            provider = providers.get_or_404(conn, uuid)
            rows = inventories.of_provider(conn, provider.id)
        _send_all(req, resp, rows, provider.generation)

    def on_post(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        util.require_provider(req, uuid)
        data = util.read_json(req, schema.POST)
        name = data['resource_class']
        record = inventories.with_defaults(data)
        version = req.context.version

        def create(conn):
            provider = providers.get_or_404(conn, uuid)
            class_row = resource_classes.get(conn, name)
            if class_row is None:
                raise errors.BadRequest('No such resource class %s.' % name)
            inventories.check_reserved(uuid, name, record, version, 'create')
            if name in inventories.of_provider(conn, provider.id):
                raise errors.Conflict(
                    'Update conflict: Inventory for %s on resource provider '
                    '%s already exists.' % (name, uuid))
            inventories.add(conn, provider, class_row.id, record)
            generation = providers.bump_generation(conn, provider)
            return inventories.of_provider(conn, provider.id)[name], generation

        row, generation = req.context.db.write(create)
        _send_one(req, resp, row, generation, status=201)
        resp.location = util.absolute(
            req, '/resource_providers/%s/inventories/%s' % (uuid, name))

    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        util.require_provider(req, uuid)
        data = util.read_json(req, schema.PUT_ALL)
        records = {name: inventories.with_defaults(fields)
                   for name, fields in data['inventories'].items()}
        version = req.context.version

        def replace(conn):
            provider = providers.get_or_404(conn, uuid)
            providers.check_generation(
                provider, data['resource_provider_generation'],
                GENERATION_CONFLICT)
            class_ids = resource_classes.ids_by_name(conn, records)
            unknown = sorted(set(records) - set(class_ids))
            if unknown:
                raise errors.BadRequest(
                    'Unknown resource class in inventory for resource '
                    'provider %s: %s' % (uuid, ', '.join(unknown)))
            for name, record in records.items():
                inventories.check_reserved(uuid, name, record, version,
                                           'update')
            inventories.replace(conn, provider, records, class_ids)
            generation = providers.bump_generation(conn, provider)
            return inventories.of_provider(conn, provider.id), generation

        rows, generation = req.context.db.write(replace)
        _send_all(req, resp, rows, generation)

    def on_delete(self, req, resp, uuid):
        if req.context.version < (1, 5):
            raise errors.MethodNotAllowed(
                'The method DELETE is not allowed for this resource.',
                headers={'Allow': 'GET, POST, PUT'})
        util.authorize(req, policies.DELETE)

        def delete_all(conn):
            provider = providers.get_or_404(conn, uuid)
            inventories.replace(conn, provider, {}, {})
            providers.bump_generation(conn, provider)

        req.context.db.write(delete_all)
        util.no_content(req, resp, cached=False)


class Item:
    def on_get(self, req, resp, uuid, resource_class):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn:
            provider = providers.get_or_404(conn, uuid)
            row = inventories.of_provider(conn, provider.id).get(resource_class)
        if row is None:
            raise errors.NotFound('No inventory of class %s for %s'
                                  % (resource_class, uuid))
        _send_one(req, resp, row, provider.generation)

    def on_put(self, req, resp, uuid, resource_class):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        util.require_provider(req, uuid)
        data = util.read_json(req, schema.PUT_ONE)
        record = inventories.with_defaults(data)
        version = req.context.version

        def update(conn):
            provider = providers.get_or_404(conn, uuid)
            providers.check_generation(
                provider, data['resource_provider_generation'],
                GENERATION_CONFLICT)
            inventories.check_reserved(uuid, resource_class, record, version,
                                       'update')
            current = inventories.of_provider(conn, provider.id)
            if resource_class not in current:
                raise errors.BadRequest(
                    'No inventory record with resource class for resource '
                    'provider %s' % uuid)
            inventories.update(conn, current[resource_class].id, record)
            generation = providers.bump_generation(conn, provider)
            return inventories.of_provider(conn, provider.id)[resource_class], \
                generation

        row, generation = req.context.db.write(update)
        _send_one(req, resp, row, generation)

    def on_delete(self, req, resp, uuid, resource_class):
        util.authorize(req, policies.DELETE)

        def delete(conn):
            provider = providers.get_or_404(conn, uuid)
            current = inventories.of_provider(conn, provider.id)
            if resource_class not in current:
                raise errors.NotFound('No inventory of class %s found for '
                                      'delete' % resource_class)
            inventories.remove(conn, provider, {
                resource_class: current[resource_class].resource_class_id})
            providers.bump_generation(conn, provider)

        req.context.db.write(delete)
        util.no_content(req, resp, cached=False)
