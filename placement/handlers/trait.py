"""/traits, /traits/{name} and /resource_providers/{uuid}/traits (1.6)."""
from placement import errors, providers, traits
from placement.handlers import util
from placement.operations import operation
from placement.policies import trait as policies
from placement.schemas import trait as schema


INVALID_NAME = ('The trait is invalid. A valid trait must be no longer than '
                '255 characters, start with the prefix "CUSTOM_" and use '
                'following characters: "A"-"Z", "0"-"9" and "_"')


def _name_filter(raw):
    kind, sep, value = raw.partition(':')
    if not sep:
        raise errors.BadRequest(
            'Badly formatted name parameter. Expected name query string '
            'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. '
            'Got: "%s"' % raw)
    if kind == 'in':
        return {'names': set(value.split(','))}
    if kind == 'startswith':
        return {'prefix': value}
    return {}  # an operator upstream does not know filters nothing


def _modified(rows):
    """Upstream dates a list of traits by the traits themselves."""
    return util.latest(*[row.updated_at or row.created_at for row in rows])


class Collection:
    @operation(
        'List traits, by name or by use.', policy=policies.LIST, since=(1, 6),
        query=schema.LIST_QUERY, responses={200: schema.TRAITS}, name='list')
    def on_get(self, req, resp):
        util.authorize(req, policies.LIST)
        # As upstream reads them (webob's MultiDict): the last of repeats.
        params = {key: value[-1] if isinstance(value, list) else value
                  for key, value in req.params.items()}
        util.validate_query(params, schema.LIST_QUERY)
        filters = {}
        if 'name' in params:
            filters.update(_name_filter(params['name']))
        if 'associated' in params:
            params['associated'] = params['associated'].lower()
            if params['associated'] not in ('true', 'false'):
                raise errors.BadRequest(
                    'The query parameter "associated" only accepts "true" '
                    'or "false"')
            filters['associated'] = params['associated'] == 'true'
        with req.context.db.reader() as conn:
            rows = traits.listing(conn, **filters)
        util.send_json(req, resp, {'traits': [row.name for row in rows]},
                       last_modified=_modified(rows))


class Item:
    @operation(
        'Check that a trait exists.', policy=policies.SHOW, since=(1, 6),
        responses={204: None}, errors={404: []}, name='show')
    def on_get(self, req, resp, name):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn:
            row = traits.get(conn, name)
        if row is None:
            raise errors.NotFound('No such trait(s): %s.' % name)
        util.no_content(req, resp)
        util.cache_headers(req, resp, _modified([row]))

    @operation(
        'Create a custom trait (or confirm it exists).',
        policy=policies.UPDATE, since=(1, 6), responses={201: None, 204: None},
        location=True, name='update')
    def on_put(self, req, resp, name):
        util.authorize(req, policies.UPDATE)
        try:
            util.validate(name, schema.CUSTOM_NAME)
        except errors.BadRequest:
            raise errors.BadRequest(INVALID_NAME)
        row, created = req.context.db.write(traits.ensure, name)
        util.no_content(req, resp, 201 if created else 204,
                        location='/traits/%s' % name)
        # (No row when another request created it unseen: dated now.)
        util.cache_headers(req, resp, _modified([row] if row else []))

    @operation(
        'Delete an unused custom trait.', policy=policies.DELETE, since=(1, 6),
        responses={204: None}, errors={404: [], 409: []}, cached=False,
        name='delete')
    def on_delete(self, req, resp, name):
        util.authorize(req, policies.DELETE)
        if traits.is_standard(name):
            raise errors.BadRequest('Cannot delete standard trait %s.' % name)
        req.context.db.write(traits.delete, name)
        util.no_content(req, resp, cached=False)


def _send_provider_traits(req, resp, rows, generation):
    util.send_json(req, resp, {'traits': [row.name for row in rows],
                               'resource_provider_generation': generation},
                   last_modified=_modified(rows))


class ProviderTraits:
    @operation(
        'List the traits of a resource provider.', policy=policies.RP_LIST,
        since=(1, 6), responses={200: schema.PROVIDER_TRAITS_SHOWN},
        errors={404: []}, name='list')
    def on_get(self, req, resp, uuid):
        util.authorize(req, policies.RP_LIST)
        with req.context.db.reader() as conn:
            provider = providers.get(conn, uuid)
            if provider is None:
                # Upstream wraps the not-found message in itself here.
                missing = 'No resource provider with uuid %s found' % uuid
                raise errors.NotFound('%s: %s' % (missing, missing))
            rows = traits.of_provider(conn, provider.id)
        _send_provider_traits(req, resp, rows, provider.generation)

    @operation(
        'Replace the traits of a resource provider.',
        policy=policies.RP_UPDATE, since=(1, 6), body=schema.PROVIDER_TRAITS,
        responses={200: schema.PROVIDER_TRAITS_SHOWN},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE], 415: []},
        name='update')
    def on_put(self, req, resp, uuid):
        util.require_json_content(req)
        util.authorize(req, policies.RP_UPDATE)
        # Upstream reads the body before it looks for the provider.
        data = util.read_json(req, schema.PROVIDER_TRAITS)
        names = set(data['traits'])

        def replace(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            providers.check_generation(
                provider, data['resource_provider_generation'])
            rows = traits.by_names(conn, names)
            unknown = names - {row.name for row in rows}
            if unknown:
                raise errors.BadRequest(
                    'No such trait %s' % ', '.join(sorted(unknown)))
            generation = provider.generation
            if traits.set_for_provider(conn, provider.id,
                                       {row.id for row in rows}):
                generation = providers.bump_generation(conn, provider)
            return rows, generation

        rows, generation = req.context.db.write(replace)
        _send_provider_traits(req, resp, rows, generation)

    @operation(
        'Remove every trait from a resource provider.',
        policy=policies.RP_DELETE, since=(1, 6), responses={204: None},
        errors={404: [], 409: [errors.CONCURRENT_UPDATE]}, cached=False,
        name='delete')
    def on_delete(self, req, resp, uuid):
        util.authorize(req, policies.RP_DELETE)

        def remove(conn):
            with errors.past_handler():
                provider = providers.get_or_404(conn, uuid)
            if traits.set_for_provider(conn, provider.id, set()):
                providers.bump_generation(conn, provider)

        req.context.db.write(remove)
        util.no_content(req, resp, cached=False)
