"""Who may do what on the desk. Every route is declared with one rule, checked before its handler runs:

- PUBLIC: anyone (the login page, static assets);
- USER: any signed-in account (the home page, logging out);
- AGENCY: a clerk of the agency in the URL, or a reviewer of that agency's county;
- CLERK: a clerk of the agency in the URL only;
- REVIEWER: a reviewer of the county of the agency in the URL only;
- COUNTY: a reviewer of the county in the URL only.

Every POST also carries the session's CSRF token. tests/desk/test_authorisation.py walks every route of the
app: a route without a rule fails it."""

import hashlib
import hmac
import secrets

from starlette.requests import Request

from pipelines.desk.directory import Directory
from pipelines.desk.store import Account, Store

PUBLIC, USER, AGENCY, CLERK, REVIEWER, COUNTY = "public", "user", "agency", "clerk", "reviewer", "county"
RULES = (PUBLIC, USER, AGENCY, CLERK, REVIEWER, COUNTY)


def password_stamp(account: Account) -> str:
    """Ties a session to the password it was opened with: a new password ends older sessions."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def current_account(request: Request, store: Store) -> Account | None:
    name = request.session.get("user")
    if not name:
        return None
    account = store.account(name)
    if account is None or request.session.get("stamp") != password_stamp(account):
        request.session.clear()
        return None
    return account


def sign_in(request: Request, account: Account) -> None:
    request.session.clear()  # a new session id for a new login: nothing carried over from before
    request.session.update(user=account.name, stamp=password_stamp(account), csrf=secrets.token_urlsafe(32))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(request: Request, submitted: object) -> bool:
    expected = request.session.get("csrf")
    return bool(expected) and isinstance(submitted, str) and hmac.compare_digest(expected, submitted)


def allowed(rule: str, account: Account | None, params: dict, directory: Directory) -> bool:
    """Whether `account` may use a route with `rule` and these path parameters."""
    if rule == PUBLIC:
        return True
    if account is None:
        return False
    if rule == USER:
        return True
    if rule == COUNTY:
        return account.is_reviewer and account.county == params.get("county")
    code = params.get("code")
    agency = directory.agency(code) if isinstance(code, str) else None
    if agency is None:
        return False
    clerk = not account.is_reviewer and account.agency_code == agency.code
    reviewer = account.is_reviewer and bool(agency.county) and account.county == agency.county
    return {AGENCY: clerk or reviewer, CLERK: clerk, REVIEWER: reviewer}.get(rule, False)
