"""ivschat base URL and paths.

One catch-all route: the handler names the operation from method and path
itself, so a path that is no operation still gets the service's own error. It is
a named group (moto's server turns a bare ``/.*`` into a rule only from 5.1.22)
that matches any character, a percent-encoded newline included, so moto's server
never answers an ivschat path with its HTML 404.
"""

from ..registration import HOST_PATTERN
from .responses import IvschatResponse

url_bases = [HOST_PATTERN]

url_paths = {
    r"{0}/(?P<path>[\s\S]*)$": IvschatResponse.dispatch,
    # moto's server turns the catch-all into a Flask rule that needs one character
    # after the slash; this one routes "/" itself.
    "{0}/$": IvschatResponse.dispatch,
}
