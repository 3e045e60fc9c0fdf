"""A browser at the backend's root opens the site; before module 1 it reads what to run.

The site lives at ``/<bucket>/index.html``; the root and ``/index.html`` used to answer S3's
AccessDenied XML (an unsigned ListBuckets), on a laptop and through Jupyter's proxy alike.
The redirect is relative, so it resolves under ``<base_url>/wildrydes/`` too (the proxied
walk is tests/notebooks/test_hub_proxy.py).
"""

from __future__ import annotations

import urllib.parse

import requests

from wildrydes import launch, state, website
from wildrydes.backend import connect
from wildrydes.local.site_entry import NOT_YET_TITLE

PAGE = {"Accept": "text/html,application/xhtml+xml"}


def test_before_module_1_a_page_says_what_to_run_then_the_root_opens_the_site(fresh_backend):
    base = fresh_backend.url
    assert not state.load(connect(start=False).state_key).get("bucket")
    for path in ("/", "/index.html", f"/{launch.LOCAL_BUCKET}/index.html"):
        page = requests.get(base + path, headers=PAGE, timeout=10)
        assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
        assert NOT_YET_TITLE in page.text and "wildrydes module1" in page.text, path
        assert "<Error>" not in page.text

    launch.module1()
    for path in ("/", "/index.html"):
        moved = requests.get(base + path, headers=PAGE, timeout=10, allow_redirects=False)
        assert moved.status_code == 302, path
        target = urllib.parse.urljoin(base + path, moved.headers["Location"])
        assert target == f"{base}/{launch.LOCAL_BUCKET}/index.html"
        site = requests.get(base + path, headers=PAGE, timeout=10)
        assert site.status_code == 200 and "Wild Rydes" in site.text, path


def test_signed_requests_and_other_paths_still_get_s3s_answers(fresh_backend):
    base = fresh_backend.url
    s3 = connect(start=False).client("s3")
    assert "Buckets" in s3.list_buckets()  # the signed root is still ListBuckets
    json_client = requests.get(base + "/", timeout=10)  # no browser Accept: S3's own answer
    assert json_client.status_code in (403, 404) and "<Error>" in json_client.text


def test_a_published_bucket_the_kit_did_not_make_is_s3s_to_answer(fresh_backend):
    """The aws tier serves a module-1 bucket made by hand on the backend, with no kit state:
    its pages are S3's, not the "not there yet" page (which only a bucket nobody can read gets)."""
    base = fresh_backend.url
    s3 = connect(start=False).client("s3")
    bucket = "made-by-hand-module1"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="register.html", Body=b"<h1>by hand</h1>")
    private = requests.get(f"{base}/{bucket}/register.html", headers=PAGE, timeout=10)
    assert private.status_code == 404 and NOT_YET_TITLE in private.text  # not readable yet
    s3.put_bucket_policy(Bucket=bucket, Policy=website.public_read_policy(bucket))
    page = requests.get(f"{base}/{bucket}/register.html", headers=PAGE, timeout=10)
    assert page.status_code == 200 and page.text == "<h1>by hand</h1>"
    assert not state.load(connect(start=False).state_key).get("bucket")
    # The root still says what to run: the kit's state names no website bucket.
    root = requests.get(base + "/", headers=PAGE, timeout=10, allow_redirects=False)
    assert root.status_code == 404 and NOT_YET_TITLE in root.text


def test_pages_of_many_unknown_buckets_are_answered_and_the_backend_stays_up(fresh_backend):
    base = fresh_backend.url
    for n in range(300):  # more names than the door remembers
        page = requests.get(f"{base}/nobody-{n:04d}/index.html", headers=PAGE, timeout=10)
        assert page.status_code == 404 and NOT_YET_TITLE in page.text
    assert requests.get(base + "/", headers=PAGE, timeout=10).status_code == 404
