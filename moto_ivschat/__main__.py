"""``python -m moto_ivschat``: run the server (see :mod:`moto_ivschat.command`)."""

from .command import main

main()
