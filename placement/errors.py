"""One exception family for the whole API, rendered as an API-SIG error body.

Handlers and domain code raise these; ``app.py`` turns them (and falcon's
own HTTP errors) into ``{"errors": [{status, title, detail, request_id,
code}]}`` responses.
"""
import http

# Error codes upstream sends from microversion 1.23 on.
DEFAULT = 'placement.undefined_code'
INVENTORY_INUSE = 'placement.inventory.inuse'
CONCURRENT_UPDATE = 'placement.concurrent_update'
DUPLICATE_NAME = 'placement.duplicate_name'
PROVIDER_IN_USE = 'placement.resource_provider.inuse'
PROVIDER_CANNOT_DELETE_PARENT = 'placement.resource_provider.cannot_delete_parent'
RESOURCE_PROVIDER_NOT_FOUND = 'placement.resource_provider.not_found'
ILLEGAL_DUPLICATE_QUERYPARAM = 'placement.query.duplicate_key'
QUERYPARAM_BAD_VALUE = 'placement.query.bad_value'
QUERYPARAM_MISSING_VALUE = 'placement.query.missing_value'


class PlacementError(Exception):
    """An error with an HTTP status, a human detail and an API-SIG code."""

    status = 500

    def __init__(self, detail='', code=DEFAULT, status=None, headers=None):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        if status is not None:
            self.status = status
        self.headers = headers or {}

    @property
    def title(self):
        return http.HTTPStatus(self.status).phrase


class BadRequest(PlacementError):
    status = 400


class Unauthorized(PlacementError):
    status = 401


class Forbidden(PlacementError):
    status = 403


class NotFound(PlacementError):
    status = 404


class MethodNotAllowed(PlacementError):
    status = 405


class NotAcceptable(PlacementError):
    status = 406


class Conflict(PlacementError):
    status = 409


class UnsupportedMediaType(PlacementError):
    status = 415


class ServiceUnavailable(PlacementError):
    status = 503


class ConcurrentUpdate(Conflict):
    """A write carried a stale generation (or lost a race for one)."""

    def __init__(self, detail, code=CONCURRENT_UPDATE):
        super().__init__(detail, code=code)


# webob, which upstream renders errors with, prefixes each detail with a
# standard explanation; clients match on both, so keep the same shape.
EXPLANATIONS = {
    400: 'The server could not comply with the request since it is either '
         'malformed or otherwise incorrect.',
    401: 'This server could not verify that you are authorized to access the '
         'document you requested.',
    403: 'Access was denied to this resource.',
    404: 'The resource could not be found.',
    405: '',  # the detail names the method itself
    406: 'The resource could not be generated that was acceptable to your '
         'browser (content of type %s.',
    409: 'There was a conflict when trying to complete your request.',
    415: 'The request media type is not supported by this server.',
    500: 'The server has either erred or is incapable of performing the '
         'requested operation.',
    503: 'The server is currently unavailable. Please try again at a later '
         'time.',
}


def full_detail(status, detail):
    explanation = EXPLANATIONS.get(status, '')
    if '%s' in explanation:
        explanation = explanation.replace(' (content of type %s.', '.')
    if not detail:
        return explanation
    if not explanation:
        return detail
    return f'{explanation}\n\n {detail}  '


def error_body(status, detail, request_id=None, code=None):
    error = {'status': status, 'title': http.HTTPStatus(status).phrase,
             'detail': full_detail(status, detail)}
    if code is not None:
        error['code'] = code
    if request_id:
        error['request_id'] = request_id
    return {'errors': [error]}
