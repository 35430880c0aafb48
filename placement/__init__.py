"""Placement: a resource-provider REST service compatible with OpenStack Placement."""
