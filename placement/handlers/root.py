"""``GET /``: the versions document (no authentication needed)."""
from placement import microversion
from placement.handlers import util
from placement.schemas import root as root_schema
from placement.operations import operation


class Root:
    @operation(
        'The versions document: the microversions served.',
        responses={200: root_schema.VERSIONS}, name='versions')
    def on_get(self, req, resp):
        util.send_json(req, resp, {'versions': [{
            'id': 'v%d.%d' % microversion.MIN_VERSION,
            # The application's ceiling (a test cloud's may be lower).
            'max_version': str(req.context.max_version),
            'min_version': str(microversion.MIN),
            'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': ''}],
        }]})
