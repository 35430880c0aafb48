"""An in-process HTTP client for tests that load worlds through the API."""
import httpx

ADMIN = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39',
         'accept': 'application/json'}


def admin_client(service, traits=()):
    """An httpx client calling ``service``'s WSGI app as the admin at the
    latest microversion, with the custom ``traits`` created."""
    client = httpx.Client(transport=httpx.WSGITransport(app=service.app),
                          base_url='http://placement', headers=ADMIN)
    for trait in traits:
        response = client.put('/traits/%s' % trait)
        assert response.status_code in (201, 204), response.text
    return client
