"""Capabilities discovery (our extension): what the service offers, and
what a caller may do to one provider or consumer now, with the answer the
real request would get. Domain code: no request objects; the handlers in
``placement.handlers.capabilities`` authorize, call these and render."""
