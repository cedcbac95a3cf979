"""ivschat base URL and paths: one route for ``POST /<Operation>``, one for tags."""

from .responses import IvschatResponse

url_bases = [
    r"https?://ivschat\.(.+)\.amazonaws\.com",
]

url_paths = {
    "{0}/(?P<operation>[^/]*)$": IvschatResponse.dispatch,
    "{0}/tags/(?P<resourceArn>.+)$": IvschatResponse.dispatch,
}
