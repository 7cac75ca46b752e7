"""The client's address as log-in throttling (django-axes, AXES_CLIENT_IP_CALLABLE) counts failures by.

Behind reverse proxies every request comes from the nearest proxy, so its address would lock everyone out at
once. Each proxy appends the address it received the request from to X-Forwarded-For; with PROXY_COUNT
proxies in front, the client's is the PROXY_COUNT-th from the right. What the client wrote itself lies to
the left of it and is ignored."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    direct = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "PROXY_COUNT", 0))
    if proxies <= 0:
        return direct
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-proxies] if len(forwarded) >= proxies else direct
