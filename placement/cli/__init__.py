"""An openstackclient plugin for our operator views (extra ``cli``):
``openstack resource provider tree show``, ``openstack placement
capacity`` and ``openstack allocation candidate explain``.

Nothing in the service imports this package; it needs osc-lib (and
python-openstackclient for the ``openstack`` command).
"""
