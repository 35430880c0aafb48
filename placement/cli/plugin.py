"""The plugin module openstackclient loads (entry point group
``openstack.cli.extension``, name ``placement_ops``); the commands are in
the group ``openstack.placement_ops.v1``.

Its API name is ``placement_ops``, not ``placement``, so that it installs
beside osc-placement (whose API name is ``placement``) without either
replacing the other; both talk to the service type ``placement``.
"""
import logging

from osc_lib import utils

LOG = logging.getLogger(__name__)

API_NAME = 'placement_ops'
API_VERSION_OPTION = 'os_placement_ops_api_version'
SERVICE_TYPE = 'placement'
MAX_VERSION = '1.39'
DEFAULT_API_VERSION = MAX_VERSION
# Every microversion the service has; another draws osc's warning.
API_VERSIONS = tuple('1.%d' % minor for minor in range(40))


def make_client(instance):
    """The client for a command's ``self.app.client_manager.placement_ops``:
    the session osc authenticated (Keystone, or ``admin_token`` with
    ``--os-endpoint``), the service type ``placement`` looked up in the
    catalog unless an endpoint is given."""
    from placement.cli import client
    override = None
    override_for = getattr(instance, '_override_for', None)
    if override_for is not None:
        # clouds.yaml's placement_endpoint_override, as osc honours it.
        override = override_for(SERVICE_TYPE)
    version = instance._api_version[API_NAME]
    LOG.debug('placement_ops client at microversion %s', version)
    return client.Client(
        session=instance.session,
        endpoint_filter={
            'service_type': SERVICE_TYPE,
            'region_name': getattr(instance, 'region_name', None) or
            getattr(instance, '_region_name', None),
            'interface': getattr(instance, 'interface', None)},
        endpoint_override=override, api_version=version)


def build_option_parser(parser):
    parser.add_argument(
        '--os-placement-ops-api-version',
        metavar='<placement-ops-api-version>',
        default=utils.env('OS_PLACEMENT_OPS_API_VERSION',
                          default=DEFAULT_API_VERSION),
        help='Placement API microversion for the placement-ng operator '
             'commands (resource provider tree show, placement capacity, '
             'allocation candidate explain), 1.0 to %s; default=%s '
             '(Env: OS_PLACEMENT_OPS_API_VERSION)'
             % (MAX_VERSION, DEFAULT_API_VERSION))
    return parser
