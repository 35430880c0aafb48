"""One exception family for the whole API, rendered as an API-SIG error body.

Handlers and domain code raise these; ``app.py`` turns them (and falcon's
own HTTP errors) into ``{"errors": [{status, title, detail, request_id,
code}]}`` responses.
"""
import contextlib
import html
import http
import re

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
    # Whether the response carries ``Vary``: upstream adds it past its
    # handlers, so an error it raises past them (``past_handler``) has none.
    vary = True

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


@contextlib.contextmanager
def past_handler(*kinds):
    """Errors raised inside (of ``kinds``, by default any) are ones upstream
    raises past its handler wrapper (policy refusals, the lookups its
    handlers leave uncaught), to the middleware that adds ``Vary`` only to
    answers: they go without."""
    try:
        yield
    except kinds or PlacementError as exc:
        exc.vary = False
        raise


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
    409: 'There was a conflict when trying to complete your request.',
    500: 'The server has either erred or is incapable of performing the '
         'requested operation.',
    503: 'The server is currently unavailable. Please try again at a later '
         'time.',
}
# Statuses whose explanation names something from the request, in
# webob's markup: the text below is what webob fills in and then renders.
_FROM_REQUEST = {
    405: 'The method %(method)s is not allowed for this resource. '
         '<br /><br />\n%(detail)s',
    406: 'The resource could not be generated that was acceptable to your '
         'browser\n(content of type %(accept)s. <br /><br />\n%(detail)s',
    415: 'The request media type %(content_type)s is not supported by this '
         'server. <br /><br />\n%(detail)s',
}
_GENERAL = '%(explanation)s<br /><br />\n%(detail)s\n\n'
_TAG = re.compile(r'<.*?>', re.S)
_BR = re.compile(r'<br.*?>', re.I | re.S)
_COMMENT = re.compile(r'<!--|-->')


def _accept(environ):
    """The Accept header as upstream renders it: none or */* counts as
    application/json (upstream's request log sets it so)."""
    accept = environ.get('HTTP_ACCEPT')
    return 'application/json' if not accept or accept == '*/*' else accept


def as_plain_text(text):
    """Markup as webob's plain-text rendering leaves it, which upstream's
    error bodies carry: line breaks become spaces, <br> a line break, and
    other tags and comment marks vanish."""
    text = text.replace('\n', ' ').replace('\r', '')
    text = _BR.sub('\n', text)
    text = _COMMENT.sub('', text)
    return _TAG.sub('', text)


def _markup(status, detail, environ, escape=str):
    """The error's body as webob's templates fill it in."""
    environ = environ or {}
    values = {'detail': escape(detail or ''),
              'method': escape(environ.get('REQUEST_METHOD', '')),
              'accept': escape(_accept(environ)),
              'content_type': escape(environ.get('CONTENT_TYPE', ''))}
    if status in _FROM_REQUEST:
        return _FROM_REQUEST[status] % values
    if status not in EXPLANATIONS:
        return values['detail']
    values['explanation'] = escape(EXPLANATIONS[status])
    return _GENERAL % values


def full_detail(status, detail, environ=None):
    """The whole detail text upstream sends: its explanation, two line
    breaks, the detail (``environ`` supplies what some explanations name:
    the method, the Accept header, the content type)."""
    return as_plain_text(_markup(status, detail, environ))


def status_line(status):
    return '%d %s' % (status, http.HTTPStatus(status).phrase)


def plain_body(status, detail, environ=None):
    """For a client that takes neither JSON nor HTML."""
    return '%s\n\n%s' % (status_line(status),
                         full_detail(status, detail, environ))


def html_body(status, detail, environ=None):
    """For a client that takes HTML but not JSON."""
    return ('<html>\n <head>\n  <title>%s</title>\n </head>\n <body>\n'
            '  <h1>%s</h1>\n  %s\n </body>\n</html>' % (
                status_line(status), status_line(status),
                _markup(status, detail, environ, _html_escape)))


def _html_escape(text):
    return html.escape(text).encode('ascii', 'xmlcharrefreplace').decode()


def error_body(status, detail, request_id=None, code=None, environ=None):
    error = {'status': status, 'title': http.HTTPStatus(status).phrase,
             'detail': full_detail(status, detail, environ)}
    if code is not None:
        error['code'] = code
    if request_id:
        error['request_id'] = request_id
    return {'errors': [error]}
