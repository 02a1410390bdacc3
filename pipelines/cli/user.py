"""`gongkai user add`: an account of the desk (a clerk of one agency, or a reviewer of one county)."""

import sys
from typing import Annotated

import typer

user_app = typer.Typer(help="报送台账户 / accounts of the desk", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    agency: Annotated[str | None, typer.Option("--agency", help="经办人所在机构的统一社会信用代码 / a clerk's agency code")] = None,
    county: Annotated[str | None, typer.Option("--county", help="审核人负责的县区 / a reviewer's county")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码 / read the password from standard input")] = False,
) -> None:
    """添加报送台账户：--agency 为经办人（只见本机关），--county 为审核人（见全县） / add a desk account: --agency for a
    clerk (sees their own agency), --county for a reviewer (sees the county). The password is asked for, or read from
    standard input with --password-stdin."""
    from pipelines.desk.accounts import add_account
    from pipelines.desk.directory import Directory
    from pipelines.desk.store import Store
    from pipelines.errors import GongkaiError
    from pipelines.settings import settings

    cfg = settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise GongkaiError("没有终端可输入密码：请加 --password-stdin", "no terminal to ask for the password: use --password-stdin")
        password = typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    account = add_account(Store(cfg.desk_db), Directory(cfg.raw_dir), name, password, agency, county)
    scope = f"机构 / agency {account.agency_code}" if account.agency_code else f"县区 / county {account.county}"
    typer.echo(f"已添加 / added {account.name}: {'经办人 / clerk' if account.role == 'clerk' else '审核人 / reviewer'}, {scope}")
