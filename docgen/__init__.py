"""docgen: document generation and e-signature for WIOA Title I workforce programs."""

from docgen.app import create_app

__all__ = ["create_app"]
