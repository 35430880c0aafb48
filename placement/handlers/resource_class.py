"""/resource_classes and /resource_classes/{name} (1.2; PUT creates at 1.7)."""
from placement import errors, resource_classes
from placement.handlers import util
from placement.policies import resource_class as policies
from placement.schemas import resource_class as schema


def _render(row):
    return {'name': row.name,
            'links': [{'rel': 'self', 'href': '/resource_classes/%s' % row.name}]}


def _require_1_2(req):
    if req.context.version < (1, 2):
        raise errors.NotFound()  # as upstream's version gate: no detail


class Collection:
    def on_get(self, req, resp):
        _require_1_2(req)
        util.authorize(req, policies.LIST)
        with req.context.db.reader() as conn:
            rows = resource_classes.list_all(conn)
        util.send_json(req, resp, {
            'resource_classes': [_render(row) for row in rows]})

    def on_post(self, req, resp):
        _require_1_2(req)
        util.require_json_content(req)
        util.authorize(req, policies.CREATE)
        name = util.read_json(req, schema.POST)['name']
        req.context.db.write(resource_classes.create, name)
        util.no_content(req, resp, 201, cached=False,
                        location='/resource_classes/%s' % name)


class Item:
    def on_get(self, req, resp, name):
        _require_1_2(req)
        util.authorize(req, policies.SHOW)
        with req.context.db.reader() as conn:
            row = resource_classes.get_or_404(conn, name)
        util.send_json(req, resp, _render(row),
                       last_modified=util.latest(row.updated_at, row.created_at))

    def on_put(self, req, resp, name):
        _require_1_2(req)
        if req.context.version < (1, 7):
            util.require_json_content(req)
        util.authorize(req, policies.UPDATE)
        if req.context.version >= (1, 7):
            return self._create_or_validate(req, resp, name)
        new_name = util.read_json(req, schema.PUT)['name']
        if resource_classes.is_standard(name):
            raise errors.BadRequest(
                'Cannot update standard resource class %s' % name)
        row = req.context.db.write(resource_classes.rename, name, new_name)
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

    def on_delete(self, req, resp, name):
        _require_1_2(req)
        util.authorize(req, policies.DELETE)
        if resource_classes.is_standard(name):
            raise errors.BadRequest(
                'Error in delete resource class: Cannot delete standard resource '
                'class %s.' % name)
        req.context.db.write(resource_classes.delete, name)
        util.no_content(req, resp, cached=False)
