"""The website's front door for a browser: ``/`` and ``/index.html`` open the site.

The site lives in its bucket, path-style: ``/<bucket>/index.html``. A browser that opens the
backend's root (``<base_url>/wildrydes/`` on a hub, ``http://127.0.0.1:<port>/`` on a laptop)
would get S3's answer to an unsigned ListBuckets, an ``AccessDenied`` XML; instead it is sent to
the site with a relative redirect (``<bucket>/index.html``), which resolves under Jupyter's
proxy prefix as well as on the backend's own address.

Before module 1 has made the website bucket, a page a browser asks for (the hub's website
tile, the root) is a short HTML page saying what to run, not S3's ``NoSuchBucket`` XML. Only a
page in a bucket that is not published gets it: a published bucket's pages are S3's to answer,
whichever bucket it is (on the aws tier the backend serves a module-1 bucket it did not make).

Only unsigned GET and HEAD requests from a browser (``Accept: text/html``) are answered here;
every signed request and every other client still gets S3's own answers.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.wrappers import Request, Response

__all__ = ["NOT_YET_TITLE", "site_entry"]

NOT_YET_TITLE = "The Wild Rydes website is not there yet"

_NOT_YET = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{NOT_YET_TITLE}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5">
<h1>{NOT_YET_TITLE}</h1>
<p>Module 1 (the website bucket with the site) has not been prepared on this backend yet.</p>
<p>Run one of these, then reload this page:</p>
<ul>
<li>in JupyterLab, notebook <b>00 · Setup</b> (its first cells make the bucket);</li>
<li>in a terminal, <code>.venv/bin/wildrydes module1</code> (or <code>make workshop</code>).</li>
</ul>
<p>The site then says which steps are still to do (the user pool, notebooks 01 to 03).</p>
</body></html>
"""


def _signed(request: Request) -> bool:
    return "Authorization" in request.headers or any(
        name.lower().startswith("x-amz-") for name in request.args
    )


def _wants_a_page(request: Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


def site_entry(
    request: Request,
    website: Callable[[], str | None],
    published: Callable[[str], bool],
) -> Response | None:
    """A browser's answer for the site's entry paths, or None to let S3 answer.

    ``website()``: the website bucket the kit's state names (None before module 1);
    ``published(bucket)``: is that bucket there and readable by anyone. Asked only for an
    unsigned GET or HEAD from a browser.
    """
    if request.method not in ("GET", "HEAD") or _signed(request) or not _wants_a_page(request):
        return None
    path = request.path
    if path in ("/", "/index.html"):
        bucket = website()
        if bucket is not None and published(bucket):
            return Response("", 302, {"Location": f"{bucket}/index.html"})
        return Response(_NOT_YET, 404, content_type="text/html; charset=utf-8")
    named = path.split("/")[1]
    if path.endswith(("/", ".html")) and not published(named):
        return Response(_NOT_YET, 404, content_type="text/html; charset=utf-8")
    return None
