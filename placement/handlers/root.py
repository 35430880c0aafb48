"""``GET /``: the versions document (no authentication needed)."""
from placement import microversion
from placement.handlers import util


class Root:
    def on_get(self, req, resp):
        util.send_json(req, resp, {'versions': [{
            'id': 'v%d.%d' % microversion.MIN_VERSION,
            'max_version': str(microversion.MAX),
            'min_version': str(microversion.MIN),
            'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': ''}],
        }]})
