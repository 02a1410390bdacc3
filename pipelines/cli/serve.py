"""`gongkai serve`: the reporting desk in a browser (pipelines/desk)."""

from typing import Annotated

import typer

from pipelines.cli.options import Raw, Warehouse


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址 / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口 / port")] = 8080,
    raw: Raw = None,
    warehouse: Warehouse = None,
) -> None:
    """启动政务公开报送台：经办人上传台账、编写文字说明，审核人查看看板、处理问题、签署报告 / start the web desk: clerks
    hand in ledgers and write the narrative; the county's reviewer sees the board, decides on findings and signs off.
    Add accounts first with `gongkai user add`."""
    import uvicorn

    from pipelines.desk.app import build_app
    from pipelines.desk.store import Store
    from pipelines.settings import settings

    cfg = settings(raw=raw, warehouse=warehouse)
    _check_port(host, port)
    if not Store(cfg.desk_db).accounts():
        typer.echo("还没有账户：先运行 gongkai user add NAME --agency CODE 或 --county NAME / no accounts yet: add one with gongkai user add", err=True)
    typer.echo(f"报送台 / desk: http://{host}:{port}/  (Ctrl+C 停止 / to stop)", err=True)
    uvicorn.run(build_app(cfg), host=host, port=port, log_level="warning", server_header=False)


def _check_port(host: str, port: int) -> None:
    """One clear line when the address cannot be listened on (uvicorn would log and exit 3)."""
    import socket

    from pipelines.errors import GongkaiError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as err:
        raise GongkaiError(
            f"无法在 {host}:{port} 上启动：{err.strerror or err}（端口已被占用？换一个 --port）", f"cannot listen on {host}:{port}: {err}"
        ) from None
