"""``python -m moto_ivschat``: run the server (see :mod:`moto_ivschat.server`)."""

from .server import main

main()
