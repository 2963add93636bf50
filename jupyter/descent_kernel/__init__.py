"""A Jupyter kernel for Descent: a wrapper kernel on ipykernel (the Jupyter project's own
implementation of the messaging protocol: sockets, HMAC signatures, heartbeat, control)
that runs the cells in `descent serve`, a child process it talks to over pipes."""

__version__ = "0.1.0"
