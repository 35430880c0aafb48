"""/resource_providers/{uuid}/inventories[/{resource_class}]."""
from placement import errors, inventories, providers, resource_classes
from placement.handlers import util
from placement.operations import operation
from placement.policies import inventory as policies
from placement.schemas import inventory as schema

GENERATION_CONFLICT = 'resource provider generation conflict'


def _modified(rows):
    return util.latest(*[row.updated_at or row.created_at for row in rows])


def _provider_to_read(conn, uuid):
    """The provider, or 404 in the words upstream's GETs use: they wrap
    the not-found message in itself."""
    provider = providers.get(conn, uuid)
    if provider is None:
        missing = 'No resource provider with uuid %s found' % uuid
        raise errors.NotFound('%s : %s' % (missing, missing))
    return provider


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
    if not rows:
        # Upstream dates the list by its inventories: with none, it sends
        # cache-control but no last-modified.
        resp.delete_header('last-modified')


def _class_id(conn, name, unknown):
    """The resource class's id; ``unknown`` words the error if none."""
    row = resource_classes.get(conn, name)
    if row is None:
        raise unknown('No such resource class %s.' % name)
    return row.id


class Collection:
    @operation(
        'List the inventories of a resource provider.', policy=policies.LIST,
        responses={200: schema.ALL}, errors={404: []}, name='list')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.LIST)
        with req.context.db.reader() as conn:
            provider = _provider_to_read(conn, uuid)
            rows = inventories.of_provider(conn, provider.id)
        _send_all(req, resp, rows, provider.generation)

    @operation(
        'Add the inventory of one resource class to a provider.',
        policy=policies.CREATE, body=schema.POST, responses={201: schema.ONE},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE], 415: []},
        location=True, name='create')
    def on_post(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        data = util.read_provider_body(req, schema.POST, uuid)
        name = data['resource_class']
        record = inventories.with_defaults(data)
        version = req.context.version

        def refused(reason):
            return errors.BadRequest(
                'Unable to create inventory for resource provider %s: %s'
                % (uuid, reason))

        def create(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            inventories.check_reserved(uuid, name, record, version, 'create')
            class_id = _class_id(conn, name, refused)
            if name in inventories.of_provider(conn, provider.id):
                # Upstream meets this as a duplicate insert, which it
                # reports as a concurrent update.
                raise errors.Conflict(
                    'Update conflict: Inventory for %s on resource provider '
                    '%s already exists.' % (name, uuid),
                    code=errors.CONCURRENT_UPDATE)
            inventories.add(conn, provider, class_id, record)
            generation = providers.bump_generation(conn, provider)
            return inventories.of_provider(conn, provider.id)[name], generation

        row, generation = req.context.db.write(create)
        _send_one(req, resp, row, generation, status=201)
        resp.location = '/resource_providers/%s/inventories/%s' % (uuid, name)

    @operation(
        'Replace every inventory of a provider.', policy=policies.UPDATE,
        body=schema.PUT_ALL, responses={200: schema.ALL},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE,
                               errors.INVENTORY_INUSE], 415: []},
        name='replace')
    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        data = util.read_provider_body(req, schema.PUT_ALL, uuid)
        records = {name: inventories.with_defaults(fields)
                   for name, fields in data['inventories'].items()}
        version = req.context.version

        def replace(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            providers.check_generation(
                provider, data['resource_provider_generation'],
                GENERATION_CONFLICT)
            for name, record in records.items():
                inventories.check_reserved(uuid, name, record, version,
                                           'update')
            current = inventories.of_provider(conn, provider.id)
            class_ids = resource_classes.ids_by_name(
                conn, [name for name in records if name not in current])
            unknown = [name for name in records
                       if name not in current and name not in class_ids]
            if unknown:
                raise errors.BadRequest(
                    'Unknown resource class in inventory for resource '
                    'provider %s: No such resource class %s.'
                    % (uuid, unknown[0]))
            try:
                inventories.replace(conn, provider, records, class_ids,
                                    current)
            except inventories.InUse as exc:
                raise errors.Conflict('update conflict: %s' % exc.detail,
                                      code=exc.code)
            return providers.bump_generation(conn, provider)

        generation = req.context.db.write(replace)
        # Answered with what was written, as upstream does.
        _send_all(req, resp, inventories.written(records), generation)

    @operation(
        'Delete every inventory of a provider.', policy=policies.DELETE,
        since=(1, 5), gone=errors.MethodNotAllowed, responses={204: None},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE,
                               errors.INVENTORY_INUSE]},
        cached=False, name='delete_all')
    def on_delete(self, req, resp, uuid):
        util.authorize(req, policies.DELETE)

        def delete_all(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            inventories.replace(conn, provider, {}, {})
            providers.bump_generation(conn, provider)

        req.context.db.write(delete_all)
        util.no_content(req, resp, cached=False)


class Item:
    @operation(
        'Show the inventory of one resource class of a provider.',
        policy=policies.SHOW, responses={200: schema.ONE}, errors={404: []},
        name='show')
    def on_get(self, req, resp, uuid, resource_class):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn:
            provider = _provider_to_read(conn, uuid)
            row = inventories.of_provider(conn, provider.id).get(resource_class)
        if row is None:
            raise errors.NotFound('No inventory of class %s for %s'
                                  % (resource_class, uuid))
        _send_one(req, resp, row, provider.generation)

    @operation(
        'Change the inventory of one resource class of a provider.',
        policy=policies.UPDATE, body=schema.PUT_ONE,
        responses={200: schema.ONE},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE], 415: []},
        name='update')
    def on_put(self, req, resp, uuid, resource_class):
        util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        data = util.read_provider_body(req, schema.PUT_ONE, uuid)
        record = inventories.with_defaults(data)
        version = req.context.version

        def update(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            providers.check_generation(
                provider, data['resource_provider_generation'],
                GENERATION_CONFLICT)
            inventories.check_reserved(uuid, resource_class, record, version,
                                       'update')
            # Upstream looks the class up first; its not-found is a 404.
            _class_id(conn, resource_class, errors.NotFound)
            current = inventories.of_provider(conn, provider.id)
            if resource_class not in current:
                raise errors.BadRequest(
                    'No inventory record with resource class for resource '
                    'provider %s: No inventory of class %s found.'
                    % (uuid, resource_class))
            inventories.update(conn, current[resource_class].id, record)
            generation = providers.bump_generation(conn, provider)
            return inventories.of_provider(conn, provider.id)[resource_class], \
                generation

        row, generation = req.context.db.write(update)
        _send_one(req, resp, row, generation)

    @operation(
        'Delete the inventory of one resource class of a provider.',
        policy=policies.DELETE, responses={204: None},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE]}, cached=False,
        name='delete')
    def on_delete(self, req, resp, uuid, resource_class):
        util.authorize(req, policies.DELETE)

        def not_found(reason):
            return errors.NotFound('No inventory of class %s found for '
                                   'delete: %s' % (resource_class, reason))

        def delete(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            class_id = _class_id(conn, resource_class, not_found)
            if resource_class not in inventories.of_provider(conn, provider.id):
                raise not_found('No inventory of class %s found for delete'
                                % resource_class)
            try:
                inventories.remove(conn, provider, {resource_class: class_id})
            except inventories.InUse as exc:
                raise inventories.deletion_conflict(resource_class, exc)
            providers.bump_generation(conn, provider)

        req.context.db.write(delete)
        util.no_content(req, resp, cached=False)
