"""GET /: the versions document."""
from placement.schemas import common

VERSION = {'type': 'string', 'pattern': r'^\d+\.\d+$'}
VERSIONS = common.closed({'versions': common.array(common.closed({
    'id': {'type': 'string'},
    'min_version': VERSION,
    'max_version': VERSION,
    'status': {'type': 'string', 'enum': ['CURRENT']},
    'links': common.links('self'),
}), minItems=1)})
