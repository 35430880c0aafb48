"""oslo.policy defaults for placement.

``list_rules`` is the ``oslo.policy.policies`` entry point (namespace
``placement``); it is also what the enforcer registers at startup.
"""
from placement.policies import aggregate
from placement.policies import allocation
from placement.policies import allocation_candidate
from placement.policies import base
from placement.policies import capabilities
from placement.policies import explain
from placement.policies import inventory
from placement.policies import metrics
from placement.policies import openapi
from placement.policies import operator
from placement.policies import reshaper
from placement.policies import resource_class
from placement.policies import resource_provider
from placement.policies import trait
from placement.policies import usage

# Same order as upstream, so generated sample files line up.
UPSTREAM = (base, resource_provider, resource_class, inventory, aggregate,
            usage, trait, allocation, allocation_candidate, reshaper)
# Our extensions' rules come after upstream's.
EXTENSIONS = (openapi, capabilities, operator, explain, metrics)


def list_rules():
    """Every rule default: the generic ones first, then one per API, then
    our extensions'."""
    return [rule for module in UPSTREAM + EXTENSIONS for rule in module.rules]


def extension_rules():
    return [rule for module in EXTENSIONS for rule in module.rules]
