from placement.schemas import common

CUSTOM_NAME = {'type': 'string', 'pattern': '^CUSTOM_[A-Z0-9_]+$',
               'maxLength': 255}

POST = {
    'type': 'object',
    'properties': {'name': CUSTOM_NAME},
    'required': ['name'],
    'additionalProperties': False,
}

PUT = POST  # 1.2-1.6: rename a custom class

ONE = common.closed({'name': common.RC_NAME, 'links': common.links('self')})
ALL = common.closed({'resource_classes': common.array(ONE)})
