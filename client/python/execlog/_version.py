"""The package's version: the same as the server's (``ExecLogServer.VERSION``)."""

__version__ = "0.1.0"
