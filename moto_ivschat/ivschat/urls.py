"""ivschat base URL and paths.

One catch-all route: the handler names the operation from method and path
itself, so a path that is no operation still gets the service's own error. It is
a named group (moto's server turns a bare ``/.*`` into a rule only from 5.1.22).
"""

from ..registration import HOST_PATTERN
from .responses import IvschatResponse

url_bases = [HOST_PATTERN]

url_paths = {
    # moto's server hands a named group's regex to Flask as the rule's own.
    # "[\s\S]" where "." would not match a line break: a client can put one in the
    # path, percent-encoded, and the server decodes it before routing. The empty
    # match routes "/" too.
    r"{0}/(?P<path>[\s\S]*)": IvschatResponse.dispatch,
}
