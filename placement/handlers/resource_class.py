"""/resource_classes and /resource_classes/{name} (1.2; PUT creates at 1.7)."""
from placement import errors, resource_classes
from placement.handlers import util
from placement.operations import operation
from placement.policies import resource_class as policies
from placement.schemas import resource_class as schema


def _render(row):
    return {'name': row.name,
            'links': [{'rel': 'self', 'href': '/resource_classes/%s' % row.name}]}


def _creates(version):
    """From 1.7 a PUT creates a class (no body); before, it renames one."""
    return version >= (1, 7)


def _put_answers(version):
    return {201: None, 204: None} if _creates(version) else {200: schema.ONE}


def _put_body(version):
    return None if _creates(version) else schema.PUT


def _put_errors(version):
    return {} if _creates(version) else {404: [], 409: [], 415: []}


class Collection:
    @operation(
        'List every standard and custom resource class.', policy=policies.LIST,
        since=(1, 2), responses={200: schema.ALL}, name='list')
    def on_get(self, req, resp):
        util.authorize(req, policies.LIST)
        with req.context.db.reader() as conn:
            rows = resource_classes.list_all(conn)
        util.send_json(req, resp, {
            'resource_classes': [_render(row) for row in rows]})

    @operation(
        'Create a custom resource class.', policy=policies.CREATE,
        since=(1, 2), body=schema.POST, responses={201: None},
        errors={409: [], 415: []}, location=True, cached=False, name='create')
    def on_post(self, req, resp):
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        name = util.read_json(req, schema.POST)['name']
        req.context.db.write(resource_classes.create, name)
        util.no_content(req, resp, 201, cached=False,
                        location='/resource_classes/%s' % name)


class Item:
    @operation(
        'Show one resource class.', policy=policies.SHOW, since=(1, 2),
        responses={200: schema.ONE}, errors={404: []}, name='show')
    def on_get(self, req, resp, name):
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn, errors.past_handler():
            row = resource_classes.get_or_404(conn, name)
        util.send_json(req, resp, _render(row),
                       last_modified=util.latest(row.updated_at, row.created_at))

    @operation(
        'Create (1.7) or rename (1.2-1.6) a custom class.',
        policy=policies.UPDATE, since=(1, 2), body=_put_body,
        responses=_put_answers, errors=_put_errors, location=_creates,
        cached=lambda version: not _creates(version),
        name='update')
    def on_put(self, req, resp, name):
        if not _creates(req.context.version):
            util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        if _creates(req.context.version):
            return self._create_or_validate(req, resp, name)
        new_name = util.read_json(req, schema.PUT)['name']
        if resource_classes.is_standard(name):
            raise errors.BadRequest(
                'Cannot update standard resource class %s' % name)
        with errors.past_handler(errors.NotFound):
            row = req.context.db.write(resource_classes.rename, name,
                                       new_name)
        util.send_json(req, resp, _render(row))

    def _create_or_validate(self, req, resp, name):
        util.validate(name, schema.CUSTOM_NAME)

        def create_if_missing(conn):
            if resource_classes.get(conn, name) is not None:
                return False
            resource_classes.create(conn, name)
            return True

        created = req.context.db.write(create_if_missing)
        util.no_content(req, resp, 201 if created else 204, cached=False,
                        location='/resource_classes/%s' % name)

    @operation(
        'Delete an unused custom resource class.', policy=policies.DELETE,
        since=(1, 2), responses={204: None}, errors={404: [], 409: []},
        cached=False, name='delete')
    def on_delete(self, req, resp, name):
        util.authorize(req, policies.DELETE)
        if resource_classes.is_standard(name):
            raise errors.BadRequest(
                'Error in delete resource class: Cannot delete standard resource '
                'class %s.' % name)
        with errors.past_handler(errors.NotFound):
            req.context.db.write(resource_classes.delete, name)
        util.no_content(req, resp, cached=False)
