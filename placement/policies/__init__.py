"""Policy rule defaults, one module per resource, with upstream's rule names
and check strings so existing policy files keep working."""
from placement.policies import (aggregate, allocation, allocation_candidate,
                                base, inventory, reshaper, resource_class,
                                resource_provider, trait, usage)

_MODULES = (base, resource_provider, resource_class, inventory, aggregate,
            usage, trait, allocation, allocation_candidate, reshaper)


def list_rules():
    """Entry point for oslo.policy.policies (namespace ``placement``)."""
    return [rule for module in _MODULES for rule in module.rules]
