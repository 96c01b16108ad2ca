"""The package's version: the same as the server's and the CLI's (the release version in ``pom.xml``)."""

__version__ = "0.1.0"
