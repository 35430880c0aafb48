"""Who is calling: the oslo.context request context that policy checks read."""
from oslo_context import context


class RequestContext(context.RequestContext):
    """Adds the negotiated microversion to oslo.context's identity fields."""

    def __init__(self, *args, **kwargs):
        self.version = None
        super().__init__(*args, **kwargs)
