"""Desk accounts: a clerk belongs to one agency, a reviewer to one county. Passwords are kept as Argon2id hashes."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipelines.desk.directory import Directory
from pipelines.desk.store import Account, Store
from pipelines.errors import GongkaiError

HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
MIN_PASSWORD = 8
NAME = re.compile(r"^[\w.@-]{2,64}$")
# verifying against this keeps the time of a login with an unknown name like that of a wrong password
_DUMMY = HASHER.hash("not a password of anyone")


def add_account(store: Store, directory: Directory, name: str, password: str, agency: str | None = None, county: str | None = None) -> Account:
    if (agency is None) == (county is None):
        raise GongkaiError("请指定 --agency 或 --county 之一", "give exactly one of --agency or --county")
    if not NAME.match(name):
        raise GongkaiError(f"用户名“{name}”无效：2–64个字母、数字或 . _ @ -", f"invalid user name {name!r}: 2–64 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise GongkaiError(f"密码至少{MIN_PASSWORD}个字符", f"the password needs at least {MIN_PASSWORD} characters")
    if agency is not None:
        agency = agency.strip().upper()
        if directory.agency(agency) is None:
            raise GongkaiError(
                f"机构名录（{directory.raw_dir}/agencies.*）中没有统一社会信用代码 {agency}",
                f"agency {agency} is not in the agency list under {directory.raw_dir}",
            )
    if county is not None:
        county = county.strip()
        if county not in directory.counties():
            known = "、".join(directory.counties()) or "（无）"
            raise GongkaiError(f"机构名录中没有县区“{county}”（已有：{known}）", f"county {county!r} is not in the agency list (known: {known})")
    if store.account(name) is not None:
        raise GongkaiError(f"用户“{name}”已存在", f"user {name!r} already exists")
    return store.add_account(name, HASHER.hash(password), agency, county)


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account when the password is right, else None (same work either way)."""
    account = store.account(name)
    try:
        HASHER.verify(account.password_hash if account else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None:
        return None
    if HASHER.check_needs_rehash(account.password_hash):  # parameters moved on since it was set
        store.set_password(account.name, HASHER.hash(password))
    return account
