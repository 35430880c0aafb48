"""The OpenAPI 3.1 description of the API, generated from the route table
(``app.ROUTES``), the ``@operation`` facts on each responder and the
schemas in ``placement.schemas`` -- never written by hand.

One document per microversion: ``document.build(version)``.
"""
