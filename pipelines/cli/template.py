"""`gongkai template`: an XLSX ledger template for clerks (the desk offers the same file)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class LedgerKind(str, Enum):
    applications = "applications"
    disclosures = "disclosures"
    appeals = "appeals"


def register(app: typer.Typer) -> None:
    app.command("template")(template)


def template(
    kind: Annotated[LedgerKind, typer.Option("--kind", help="台账类型 / ledger kind")],
    out: Annotated[Path | None, typer.Option("--out", help="输出文件 / output file [default: <kind>_template.xlsx]", show_default=False)] = None,
) -> None:
    """写出台账模板（XLSX）：列名、下拉选项、日期格式和填表说明 / write a ledger template (XLSX): the contract's headers,
    a drop-down on every enumerated column, date-formatted cells and an instructions sheet."""
    from pipelines.defs.ingest.template import write_template
    from pipelines.errors import GongkaiError

    target = out or Path(f"{kind.value}_template.xlsx")
    if target.exists() and target.is_dir():
        raise GongkaiError(f"输出路径是一个目录：{target}", f"the output path is a folder: {target}")
    try:
        write_template(kind.value, target)
    except OSError as err:
        raise GongkaiError(f"无法写入 {target}：{err.strerror}", f"cannot write {target}: {err.strerror}") from err
    typer.echo(str(target))
