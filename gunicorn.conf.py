"""gunicorn's settings (read from the working directory): bound to the loopback address, for
the TLS proxy in front of it to reach, never the client directly (the client's address is
taken from the proxy's ``X-Forwarded-For``, see ``TRUSTED_PROXY_COUNT``); the access and error
logs with calendar feed keys and other secrets masked (``core.logfilters``)."""

import os

from gunicorn.glogging import Logger

from core.logfilters import MaskSecrets

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


class MaskingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(MaskSecrets())


logger_class = MaskingLogger
