"""Authentication middleware: ``noauth2`` for tests and ``keystone``.

Both leave the identity in the keystonemiddleware headers
(HTTP_X_USER_ID, HTTP_X_PROJECT_ID, HTTP_X_ROLES, ...), from which
``ContextMiddleware`` builds the request context.
"""
import json

from placement import errors

ROOT_PATHS = ('/', '')


def _unauthorized(environ, start_response):
    body = json.dumps(errors.error_body(
        401, 'Authentication required',
        request_id=environ.get('openstack.request_id'))).encode()
    start_response('401 Unauthorized', [
        ('Content-Type', 'application/json'),
        ('Content-Length', str(len(body)))])
    return [body]


class NoAuthMiddleware:
    """Trust the token: ``admin`` is an admin, ``user:project`` names both.

    An ``X-Roles`` header, when sent, gives the roles (as keystone would,
    already expanded); ``OpenStack-System-Scope`` makes a system-scoped
    caller with no project.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO') in ROOT_PATHS:
            return self.application(environ, start_response)
        token = environ.get('HTTP_X_AUTH_TOKEN')
        if token is None:
            return _unauthorized(environ, start_response)
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        if 'HTTP_X_ROLES' in environ:
            roles = environ['HTTP_X_ROLES']
        else:
            roles = 'admin' if user_id == 'admin' else ''
        environ['HTTP_X_USER_ID'] = user_id
        if not environ.get('HTTP_OPENSTACK_SYSTEM_SCOPE'):
            environ['HTTP_X_TENANT_ID'] = project_id
        environ['HTTP_X_ROLES'] = roles
        return self.application(environ, start_response)


def keystone_middleware(application, conf):
    """keystonemiddleware's auth_token, letting the root document through."""
    from keystonemiddleware import auth_token

    protected = auth_token.AuthProtocol(application, {'oslo_config_config': conf})

    def middleware(environ, start_response):
        if environ.get('PATH_INFO') in ROOT_PATHS:
            return application(environ, start_response)
        return protected(environ, start_response)
    return middleware
