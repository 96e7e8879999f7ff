"""The client's address for the login lockout: :func:`core.net.client_ip`, which the API's
throttles use too (``AXES_CLIENT_IP_CALLABLE`` names this module)."""

from __future__ import annotations

from core.net import client_ip

__all__ = ["client_ip"]
