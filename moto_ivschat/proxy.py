"""``moto-ivschat-proxy`` (or ``python -m moto_ivschat.proxy``): moto's proxy, with ivschat.

moto's own ``moto_proxy`` never imports a plugin; this runs it with ivschat
registered, and takes its options (``-H``/``--host``, ``-p``/``--port``, default
5005, ``-v``). Clients send their AWS calls through it (``HTTPS_PROXY``) and trust
moto's certificate authority (``AWS_CA_BUNDLE``; the proxy's help prints where it
is). The proxy needs the ``openssl`` command, and before moto 5.2.4 the
``moto[proxy]`` extra.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run moto's proxy with ivschat registered (``argv``: the proxy's options)."""
    import moto

    from .moto_compat import PROXY_NEEDS_MULTIPART
    from .registration import register

    register()
    try:
        from moto.proxy import main as run_proxy
    except ModuleNotFoundError as error:
        if error.name != "multipart" or not PROXY_NEEDS_MULTIPART:
            raise
        sys.exit(
            f"moto-ivschat-proxy: the proxy of moto {moto.__version__} needs the moto[proxy] extra "
            f"(python-multipart): pip install 'moto[proxy]=={moto.__version__}' (moto 5.2.4 and later do not)"
        )
    run_proxy(argv)


if __name__ == "__main__":
    main()
