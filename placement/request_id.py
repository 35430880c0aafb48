"""Give every request an id (``req-<uuid>``), in the WSGI environ for logs
and errors, and in the ``x-openstack-request-id`` response header.

A few lines of WSGI rather than oslo.middleware's webob-based version,
which copies every response body (candidate lists run to megabytes).
"""
import uuid

ENV_REQUEST_ID = 'openstack.request_id'
HEADER = 'x-openstack-request-id'


class RequestId:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request_id = 'req-%s' % uuid.uuid4()
        environ[ENV_REQUEST_ID] = request_id

        def with_id(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != HEADER]
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info)

        return self.application(environ, with_id)
