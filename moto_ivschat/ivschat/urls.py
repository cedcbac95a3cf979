"""ivschat base URL and paths.

One catch-all route: the handler names the operation from method and path
itself, so a path that is no operation still gets the service's own error.
"""

from .responses import IvschatResponse

url_bases = [
    r"https?://ivschat\.(.+)\.amazonaws\.com",
]

url_paths = {
    "{0}/.*": IvschatResponse.dispatch,
    # moto's server turns the catch-all into a Flask rule that needs one character
    # after the slash; this one routes "/" itself.
    "{0}/$": IvschatResponse.dispatch,
}
