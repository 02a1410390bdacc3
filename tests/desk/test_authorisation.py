"""Every route of the desk is refused to whoever may not use it: anonymous visitors, a clerk of another agency,
a reviewer of another county. The routes are read from the app itself, so a new route without a rule fails here."""

import pytest
from starlette.routing import Mount, Route

from pipelines.desk import security as S
from pipelines.desk.app import build_app
from tests.desk.support import add_users, client, csrf, desk_settings
from tests.support.raw_ledgers import TANGWU

# what a route's path parameters are filled with: the 昌乐县 agency 鄌郚镇 and its county
PARAMS = {"code": TANGWU, "year": "2022", "county": "昌乐县", "kind": "applications", "upload_id": "1", "fmt": "html", "cell": "A.1.total"}
OPEN = {("/login", "GET"), ("/login", "POST"), ("/logout", "POST"), ("/", "GET"), ("/static", "GET")}


def _endpoints(app) -> list[tuple[str, str, str]]:
    """(path, method, rule) of every route, static files included."""
    out = []
    for route in app.routes:
        if isinstance(route, Mount):
            out.append((route.path, "GET", getattr(route, "rule", None)))
            continue
        assert isinstance(route, Route), route
        for method in sorted(route.methods - {"HEAD"}):
            out.append((route.path, method, getattr(route.endpoint, "rule", None)))
    return out


def _url(path: str) -> str:
    for name, value in PARAMS.items():
        path = path.replace("{" + name + "}", value).replace("{" + name + ":int}", value)
    assert "{" not in path, path
    return path


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    cfg = desk_settings(tmp_path_factory.mktemp("desk"))
    add_users(cfg)
    app = build_app(cfg)
    return cfg, app


def test_every_route_has_a_rule_and_only_the_login_pages_are_open(desk):
    _, app = desk
    endpoints = _endpoints(app)
    assert len(endpoints) >= 20
    for path, method, rule in endpoints:
        assert rule in S.RULES, f"{method} {path} has no authorisation rule"
        if (path, method) not in OPEN:
            assert rule not in (S.PUBLIC, S.USER), f"{method} {path} is open to {rule}"


def _call(c, method: str, url: str, token: str | None):
    if method == "GET":
        return c.get(url)
    return c.post(url, data={"csrf": token or "", "kind": "applications", "finding": "check:P1", "decision": "confirm", "action": "submit"})


@pytest.mark.parametrize("who", [None, "dept", "linqu"], ids=["anonymous", "clerk_of_another_agency", "reviewer_of_another_county"])
def test_every_scoped_route_refuses_outsiders(desk, who):
    cfg, app = desk
    c = client(cfg, who, app)
    token = csrf(c) if who else None  # a valid token: what refuses them is the rule, not the form
    for path, method, _ in _endpoints(app):
        if (path, method) in OPEN or path == "/static":
            continue
        r = _call(c, method, _url(path), token)
        if who is None:
            assert r.status_code in (401, 303), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login"), (method, path)
        else:
            assert r.status_code == 403, (who, method, path, r.status_code)
        assert "昌乐县鄌郚镇" not in r.text  # nothing of the agency leaks into a refusal


def test_the_right_people_get_in(desk):
    cfg, app = desk
    clerk = client(cfg, "tangwu", app)
    assert clerk.get(f"/agency/{TANGWU}/2022").status_code == 200
    assert clerk.get("/county/昌乐县/2022").status_code == 403  # a clerk sees no board
    reviewer = client(cfg, "changle", app)
    assert reviewer.get("/county/昌乐县/2022").status_code == 200
    assert reviewer.get(f"/agency/{TANGWU}/2022").status_code == 200
    # a reviewer decides and signs, but hands nothing in for the clerk
    r = reviewer.post(f"/agency/{TANGWU}/2022/none", data={"csrf": csrf(reviewer), "kind": "appeals"})
    assert r.status_code == 403


def test_a_post_without_the_session_token_is_refused(desk):
    cfg, app = desk
    clerk = client(cfg, "tangwu", app)
    assert clerk.post(f"/agency/{TANGWU}/2022/none", data={"kind": "appeals"}).status_code == 403
    assert clerk.post(f"/agency/{TANGWU}/2022/none", data={"kind": "appeals", "csrf": "forged"}).status_code == 403
    assert not (cfg.raw_dir / "submissions.csv").exists()


def test_login_refuses_a_wrong_password_and_the_cookie_is_httponly_and_samesite(desk):
    cfg, app = desk
    c = client(cfg, None, app)
    r = c.post("/login", data={"csrf": csrf(c), "name": "tangwu", "password": "wrong password"})
    assert r.status_code == 401
    r = c.post("/login", data={"csrf": csrf(c), "name": "tangwu", "password": "correct horse 1"})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    # a redirect after login goes to a page of the desk only
    r = c.post("/login", data={"csrf": csrf(c), "name": "tangwu", "password": "correct horse 1", "next": "//evil.example/"})
    assert r.headers["location"] == f"/agency/{TANGWU}/{__import__('datetime').date.today().year - 1}"
