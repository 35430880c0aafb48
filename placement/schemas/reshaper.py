"""POST /reshaper (1.30; mappings 1.34, consumer types 1.38)."""
from placement.schemas import allocation, inventory


def post(version):
    allocations = allocation.post(version)
    allocations['minProperties'] = 0
    return {
        'type': 'object',
        'properties': {
            'inventories': {
                'type': 'object',
                'patternProperties': {allocation.UUID_PATTERN: {
                    'type': 'object',
                    'properties': {
                        'resource_provider_generation': {'type': 'integer'},
                        'inventories': inventory.PUT_ALL['properties'][
                            'inventories'],
                    },
                    'required': ['resource_provider_generation',
                                 'inventories'],
                    'additionalProperties': False}},
                'additionalProperties': False},
            'allocations': allocations,
        },
        'required': ['inventories', 'allocations'],
        'additionalProperties': False,
    }
