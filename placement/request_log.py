"""One log line per request, like upstream's request log."""
import logging
import time

from placement import microversion

LOG = logging.getLogger('placement.requestlog')


class RequestLog:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen['status'] = status.split(None, 1)[0]
            for name, value in headers:
                if name.lower() == 'content-length':
                    seen['bytes'] = value
                elif name.lower() == microversion.HEADER:
                    seen['microversion'] = value.split()[-1]
            return start_response(status, headers, exc_info)

        result = self.application(environ, recording_start_response)
        uri = environ.get('PATH_INFO', '')
        if environ.get('QUERY_STRING'):
            uri += '?' + environ['QUERY_STRING']
        LOG.info('%s "%s %s" status: %s len: %s microversion: %s time: %.6f',
                 environ.get('REMOTE_ADDR'), environ.get('REQUEST_METHOD'),
                 uri, seen.get('status'), seen.get('bytes', 0),
                 seen.get('microversion', '-'), time.monotonic() - started)
        return result
