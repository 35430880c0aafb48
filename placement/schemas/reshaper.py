"""POST /reshaper (1.30; mappings 1.34, consumer types 1.38)."""
from placement.schemas import allocation, inventory


def post(version):
    allocations = allocation.post(version)
    allocations['minProperties'] = 0
    return {
        'type': 'object',
        'properties': {
            # A reshape with no provider's inventories has nothing to do.
            'inventories': {
                'type': 'object', 'minProperties': 1,
                'patternProperties': {
                    allocation.UUID_PATTERN: inventory.PUT_ALL},
                'additionalProperties': False},
            'allocations': allocations,
        },
        'required': ['inventories', 'allocations'],
        'additionalProperties': False,
    }
