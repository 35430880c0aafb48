"""The request body limit OpenStack services set with oslo.middleware's
sizelimit: ``[oslo_middleware] max_request_body_size`` (10 MiB by
default: placement.conf.sizelimit); a larger body is refused with 413
and an API-SIG error body.

Upstream Placement sets no limit: bodies up to the limit are untouched,
and only larger ones are refused (before authentication, so a caller
without a token gets 413 for them where upstream says 401).

oslo.middleware's own ``RequestBodySizeLimiter`` is webob-based and answers
with webob's HTML or text page; this is the same check in a few lines of
WSGI that answers like the rest of the API. A body whose length is not
announced (chunked) is counted as it is read, and a read past the limit
raises ``RequestTooLarge``, which the API renders as its other errors.
"""
import json

from oslo_middleware import sizelimit

from placement import errors, request_id
from placement.conf import sizelimit as conf_sizelimit

STATUS = 413


class RequestTooLarge(errors.PlacementError):
    status = STATUS


def detail(limit):
    return ('Request is too large. Larger than max_request_body_size (%d).'
            % limit)


class LimitingReader(sizelimit.LimitingReader):
    """oslo.middleware's reader, raising our error instead of webob's."""

    def read(self, size=None):
        if size is None or size < 0:
            # All of it, a piece at a time: never more than the limit (and
            # a piece) in memory.
            pieces = []
            while True:
                piece = self.read(65536)
                if not piece:
                    return b''.join(pieces)
                pieces.append(piece)
        result = self.data.read(size)
        self.bytes_read += len(result)
        if self.bytes_read > self.limit:
            raise RequestTooLarge(detail(self.limit))
        return result

    def readline(self, *args):
        result = self.data.readline(*args)
        self.bytes_read += len(result)
        if self.bytes_read > self.limit:
            raise RequestTooLarge(detail(self.limit))
        return result

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line


def _content_length(environ):
    try:
        return int(environ.get('CONTENT_LENGTH') or '')
    except ValueError:
        return None


class RequestBodyLimit:
    """WSGI middleware: 413 for a body over the configured limit."""

    def __init__(self, application, conf):
        conf_sizelimit.register_opts(conf)
        self.application = application
        self.limit = conf.oslo_middleware.max_request_body_size

    def __call__(self, environ, start_response):
        length = _content_length(environ)
        if length is not None and length > self.limit:
            return self._refuse(environ, start_response)
        if length is None and 'wsgi.input' in environ:
            environ['wsgi.input'] = LimitingReader(environ['wsgi.input'],
                                                   self.limit)
        return self.application(environ, start_response)

    def _refuse(self, environ, start_response):
        body = json.dumps(errors.error_body(
            STATUS, detail(self.limit),
            request_id=environ.get(request_id.ENV_REQUEST_ID))).encode()
        # As the auth middleware's 401: no microversion is negotiated yet,
        # so no error code.
        start_response(errors.status_line(STATUS), [
            ('Content-Type', 'application/json'),
            ('Content-Length', str(len(body)))])
        return [body]
