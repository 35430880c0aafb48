"""Requests to the placement endpoint through osc's keystoneauth session,
with the OpenStack-API-Version header; the API's errors become
CommandErrors that say the status, detail and code."""
import json

from keystoneauth1 import exceptions as ks_exceptions
from osc_lib import exceptions


def _error(exc, path, route, version):
    """A CommandError for the API-SIG error body of ``exc``'s response."""
    status = exc.http_status
    detail = title = code = None
    try:
        first = json.loads(exc.response.content)['errors'][0]
        detail = first.get('detail')
        title = first.get('title')
        code = first.get('code')
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        pass
    text = '%s %s' % (status, title or exc.message or 'error')
    if detail:
        # The detail repeats the title on its first line (webob style);
        # a schema's refusal goes on with the whole schema.
        detail = detail.strip().split('\n')[-1].strip()
        text += ': ' + detail.split('  Failed validating')[0].strip()
    if code and code != 'placement.undefined_code':
        text += ' (%s)' % code
    if status == 404 and route and (
            not detail or 'could not be found' in detail):
        # The router's 404: an upstream Placement has no such path.
        text += ('. Is this a placement-ng service? GET %s is one of its '
                 'extensions' % route)
    return exceptions.CommandError('GET %s (microversion %s): %s'
                                   % (path, version, text))


class Client:
    def __init__(self, session, endpoint_filter, endpoint_override=None,
                 api_version='1.39'):
        self.session = session
        self.endpoint_filter = endpoint_filter
        self.endpoint_override = endpoint_override
        self.api_version = api_version

    def get(self, path, params=None, route=None):
        """The JSON body of GET ``path``; ``params`` a dict whose list
        values repeat the parameter (None or empty ones left out);
        ``route`` the extension's path template, named in the error
        should the service not have it."""
        headers = {'OpenStack-API-Version': 'placement ' + self.api_version,
                   'Accept': 'application/json'}
        kwargs = {'endpoint_filter': self.endpoint_filter}
        if self.endpoint_override:
            kwargs['endpoint_override'] = self.endpoint_override
        if params:
            kwargs['params'] = {key: value for key, value in params.items()
                                if value not in (None, [], '')}
        try:
            response = self.session.request(path, 'GET', headers=headers,
                                            **kwargs)
        except ks_exceptions.HttpError as exc:
            raise _error(exc, path, route or path,
                         self.api_version) from exc
        return response.json()
