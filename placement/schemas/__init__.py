"""JSON schemas, one module per resource, chosen by microversion: request
bodies and query strings (which the handlers validate with) and response
bodies (which the OpenAPI description publishes and the response
conformance test holds the answers to)."""
