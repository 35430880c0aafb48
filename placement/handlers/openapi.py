"""GET /openapi.json: the OpenAPI description of the negotiated
microversion (our extension)."""
from placement.handlers import util
from placement.openapi import document
from placement.operations import operation
from placement.policies import openapi as policies

DOCUMENT = {'type': 'object', 'required': ['openapi', 'info', 'paths'],
            'properties': {'openapi': {'const': document.OPENAPI_VERSION}}}


class Document:
    @operation(
        'This document: the OpenAPI description of one microversion.',
        policy=policies.SHOW, responses={200: DOCUMENT}, extension=True,
        name='show')
    def on_get(self, req, resp):
        util.authorize(req, policies.SHOW)
        util.send_json_text(req, resp, document.text(req.context.version))
