"""`gongkai serve`: the reporting desk. Clerks hand in ledgers and write their narrative; the county's reviewer
sees the board, decides on findings and signs reports off. Pages call the same functions as the CLI.

Chinese first, plain HTML forms, one small script for the progress of a run; every asset is served from here."""

import datetime as dt
import json
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipelines.defs.findings import WARNING
from pipelines.defs.ingest.template import write_template
from pipelines.defs.reports.figures import application_sentence, fee_sentence, proactive_sentence
from pipelines.defs.reports.layout import statutory_grids
from pipelines.defs.reports.narrative import narrative_path, parse_narrative
from pipelines.desk import register, reporting
from pipelines.desk import security as S
from pipelines.desk.accounts import authenticate
from pipelines.desk.directory import Directory
from pipelines.desk.jobs import Refresh
from pipelines.desk.records import cell_records, due_soon, late_answers
from pipelines.desk.store import Account, Store
from pipelines.desk.uploads import ACCEPTED_SUFFIXES, UploadRefused, hand_in
from pipelines.errors import GongkaiError
from pipelines.settings import Settings
from schemas.columns import KINDS, LEDGER_KINDS

HERE = Path(__file__).parent
log = logging.getLogger("gongkai.desk")
SESSION_HOURS = 12
GRID_TABLE = {"proactive": "P", "applications": "A", "appeals": "R"}


class Desk:
    """What every handler needs: the configuration, the desk database, the agency list, the background run."""

    def __init__(self, cfg: Settings, refresh: Refresh | None = None):
        self.cfg = cfg
        self.store = Store(cfg.desk_db)
        self.directory = Directory(cfg.raw_dir)
        self.refresh = refresh or Refresh(cfg)
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"]))
        self.env.globals.update(STATES=reporting.STATES, KINDS=KINDS, LEDGER_KINDS=LEDGER_KINDS, quote=quote)

    def page(self, request: Request, account: Account | None, name: str, status: int = 200, **values) -> HTMLResponse:
        html = self.env.get_template(name).render(request=request, account=account, csrf=S.csrf_token(request), home=self.home(account), **values)
        return HTMLResponse(html, status_code=status)

    def home(self, account: Account | None) -> str:
        if account is None:
            return "/login"
        year = self.default_year()
        if account.is_reviewer:
            return f"/county/{quote(account.county or '')}/{year}"
        return f"/agency/{account.agency_code}/{year}"

    def default_year(self) -> int:
        """The latest finished year with ledger records in the warehouse; else last year."""
        last = dt.date.today().year - 1
        found = self._warehouse_years("SELECT max(year) FROM fact_channel WHERE value > 0 AND year <= ?", [last])
        return found[0] if found and found[0] else last

    def years(self, around: int) -> list[int]:
        """The years a page offers: every year in the warehouse, and the one shown."""
        found = self._warehouse_years("SELECT DISTINCT year FROM agency_year ORDER BY year", [])
        return sorted({y for y in found if y} | {around})

    def _warehouse_years(self, sql: str, params: list) -> list[int]:
        if not self.cfg.warehouse.exists():
            return []
        try:
            from pipelines.defs.warehouse import warehouse

            con = warehouse.reader(self.cfg.warehouse)
            try:
                return [row[0] for row in con.execute(sql, params).fetchall()]
            finally:
                con.close()
        except (GongkaiError, duckdb.Error, OSError):  # a warehouse being replaced or unreadable: no years to offer
            return []


def _guard(desk: Desk, rule: str, handler: Callable) -> Callable:
    """The endpoint of one route: who may use it (security.allowed), the CSRF token of a POST, then the handler
    in a worker thread (handlers read files and databases)."""

    async def endpoint(request: Request) -> Response:
        account = await run_in_threadpool(S.current_account, request, desk.store)
        if rule != S.PUBLIC and account is None:
            if request.method == "GET":
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            return _refusal(desk, request, None, 401)
        params = dict(request.path_params)
        year = params.get("year")
        if isinstance(year, int) and not 2000 <= year <= 2100:
            return _refusal(desk, request, account, 404)
        if not await run_in_threadpool(S.allowed, rule, account, params, desk.directory):
            return _refusal(desk, request, account, 403)
        form = None
        if request.method == "POST":
            if rule == S.CLERK or request.url.path.endswith("/upload"):
                length = int(request.headers.get("content-length") or 0)
                if length > desk.cfg.desk_upload_mb * 1024 * 1024 + 65536:
                    return _refusal(desk, request, account, 413, f"文件超过 {desk.cfg.desk_upload_mb} MB / the file is too large")
            form = await request.form(max_files=1, max_fields=20, max_part_size=1024 * 1024)
            if not S.csrf_ok(request, form.get("csrf")):
                return _refusal(desk, request, account, 403, "表单已过期，请返回刷新页面后再提交 / the form expired: reload the page and try again")
        try:
            return await run_in_threadpool(handler, desk, request, account, form)
        except GongkaiError as err:
            return desk.page(request, account, "message.html", 400, title="无法完成 / cannot do that", message=str(err))
        except Exception as err:
            if desk.cfg.debug:
                raise
            log.exception("desk: %s %s failed", request.method, request.url.path)
            message = f"内部错误 / internal error: {type(err).__name__}（详情见服务器日志 / see the server log）"
            return desk.page(request, account, "message.html", 500, title="出错了 / something went wrong", message=message)
        finally:
            if form is not None:
                await form.close()

    endpoint.rule = rule  # type: ignore[attr-defined]  # read by the authorisation test
    endpoint.__name__ = handler.__name__
    return endpoint


def _refusal(desk: Desk, request: Request, account: Account | None, status: int, message: str = "") -> Response:
    text = {
        401: "请先登录 / please sign in",
        403: "无权访问：只能查看本机关（经办人）或本县（审核人）的内容 / not allowed: your own agency or county only",
        404: "没有这个页面 / not found",
        413: "文件太大 / too large",
    }[status]
    return desk.page(request, account, "message.html", status, title=text, message=message or text)


# ------------------------------------------------------------------ sign in


def login_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    return desk.page(request, account, "login.html", next=request.query_params.get("next", ""))


def login(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert form is not None
    found = authenticate(desk.store, str(form.get("name", "")).strip(), str(form.get("password", "")))
    if found is None:
        return desk.page(request, None, "login.html", 401, error="用户名或密码不对 / wrong user name or password", next=form.get("next", ""))
    S.sign_in(request, found)
    target = str(form.get("next") or "")
    if not target.startswith("/") or target.startswith("//"):  # only a page of this desk
        target = desk.home(found)
    return RedirectResponse(target, status_code=303)


def logout(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def index(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    return RedirectResponse(desk.home(account), status_code=303)


# ------------------------------------------------------------------ a clerk's agency-year


def _agency(desk: Desk, request: Request):
    return desk.directory.agency(request.path_params["code"])


def agency_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    agency = _agency(desk, request)
    year = request.path_params["year"]
    rv = reporting.view(desk.cfg, desk.store, agency.code, year)
    uploads = desk.store.uploads(agency.code)
    return desk.page(
        request,
        account,
        "agency.html",
        agency=agency,
        year=year,
        rv=rv,
        uploads=uploads[:15],
        ledgers=reporting.ledger_status(desk.cfg, rv.tables, agency.code, year, uploads),
        suffixes="、".join(ACCEPTED_SUFFIXES),
        limit=desk.cfg.desk_upload_mb,
        due=due_soon(desk.cfg, agency.code),
        job=desk.refresh.snapshot(),
        years=desk.years(year),
    )


def template_download(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    kind = request.path_params["kind"]
    if kind not in LEDGER_KINDS:
        return _refusal(desk, request, account, 404)
    path = desk.cfg.desk_dir / "templates" / f"{kind}.xlsx"
    write_template(kind, path)
    return FileResponse(path, filename=f"{KINDS[kind].label}_模板.xlsx", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert form is not None and account is not None
    agency = _agency(desk, request)
    year = _form_year(form)
    kind = str(form.get("kind", ""))
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return desk.page(
            request,
            account,
            "message.html",
            400,
            title="没有选择文件 / no file chosen",
            message="请选择要上传的台账文件 / choose a ledger file",
            back=f"/agency/{agency.code}/{year}",
        )
    with tempfile.NamedTemporaryFile(prefix="gongkai-upload-", dir=desk.cfg.desk_dir) as tmp:
        file.file.seek(0)
        size = 0
        while chunk := file.file.read(1 << 20):
            size += len(chunk)
            if size > desk.cfg.desk_upload_mb * 1024 * 1024:
                return _refusal(desk, request, account, 413, f"文件超过 {desk.cfg.desk_upload_mb} MB / the file is larger than {desk.cfg.desk_upload_mb} MB")
            tmp.write(chunk)
        tmp.flush()
        try:
            outcome = hand_in(desk.cfg, desk.store, agency.code, kind, file.filename, Path(tmp.name), account.name, year)
        except UploadRefused as err:
            return desk.page(request, account, "message.html", 400, title="未接收 / not accepted", message=str(err), back=f"/agency/{agency.code}/{year}")
    return RedirectResponse(f"/agency/{agency.code}/uploads/{outcome.upload_id}?year={year}", status_code=303)


def upload_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    agency = _agency(desk, request)
    item = desk.store.upload(request.path_params["upload_id"])
    if item is None or item["agency_code"] != agency.code:  # another agency's upload is not found, whatever its id
        return _refusal(desk, request, account, 404)
    year = _query_year(request, desk)
    return desk.page(request, account, "upload.html", agency=agency, item=item, year=year)


def declare_none(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert form is not None
    agency = _agency(desk, request)
    year = request.path_params["year"]
    kind = str(form.get("kind", ""))
    if kind not in LEDGER_KINDS:
        return _refusal(desk, request, account, 404)
    register.declare(desk.cfg.raw_dir, agency.code, year, kind, "none")
    return RedirectResponse(f"/agency/{agency.code}/{year}#ledgers", status_code=303)


# ------------------------------------------------------------------ narrative and report


def _figures(rv: reporting.ReportView) -> list[tuple[str, str]]:
    if rv.tables is None:
        return []
    return [
        ("{{主动公开}}", proactive_sentence(rv.tables)),
        ("{{依申请}}", application_sentence(rv.tables)),
        ("{{信息处理费}}", fee_sentence(rv.tables.get("fees_yuan", 0.0))),
    ]


STARTER = """## 前言
根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，编制本报告。

## 一、总体情况
（一）主动公开情况
{{主动公开}}
（二）依申请公开情况
{{依申请}}
（三）政府信息管理情况

（四）平台建设情况

（五）监督保障情况

## 五、存在的主要问题及改进情况

## 六、其他需要报告的事项
（一）收取信息处理费情况。{{信息处理费}}
（二）本行政机关认为需要报告的其他事项。无。
"""


def narrative_page(
    desk: Desk, request: Request, account: Account | None, form: FormData | None, text: str | None = None, error: str = "", saved: bool = False
) -> Response:
    agency = _agency(desk, request)
    year = request.path_params["year"]
    path = narrative_path(agency.code, year, desk.cfg.narratives_dir)
    if text is None:
        text = path.read_text(encoding="utf-8-sig") if path.exists() else STARTER
    rv = reporting.view(desk.cfg, desk.store, agency.code, year, with_rows=False)
    return desk.page(
        request,
        account,
        "narrative.html",
        400 if error else 200,
        agency=agency,
        year=year,
        text=text,
        error=error,
        saved=saved,
        exists=path.exists(),
        figures=_figures(rv),
        rv=rv,
    )


def narrative_save(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert form is not None and account is not None
    agency = _agency(desk, request)
    year = request.path_params["year"]
    text = str(form.get("text", "")).replace("\r\n", "\n")
    if len(text) > 200_000:
        return narrative_page(desk, request, account, form, text[:200_000], error="文字说明过长（超过20万字）/ the narrative is too long")
    try:
        parse_narrative(text, source="文字说明 / narrative")
    except GongkaiError as err:
        return narrative_page(desk, request, account, form, text, error=str(err))
    path = narrative_path(agency.code, year, desk.cfg.narratives_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():  # the previous text is kept: the desk never loses what a clerk wrote
        keep = desk.cfg.desk_dir / "narratives" / agency.code / str(year) / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}.md"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_bytes(path.read_bytes())
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return narrative_page(desk, request, account, form, text, saved=True)


def report_file(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    agency = _agency(desk, request)
    year = request.path_params["year"]
    fmt = request.path_params["fmt"]
    if fmt not in ("html", "docx", "xlsx"):
        return _refusal(desk, request, account, 404)
    rv = reporting.view(desk.cfg, desk.store, agency.code, year)
    paths = reporting.render(desk.cfg, rv)
    if fmt == "html":
        return HTMLResponse(paths["html"].read_text(encoding="utf-8"))
    draft = "（草稿）" if rv.is_draft else ""
    media = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    return FileResponse(paths[fmt], filename=f"{agency.name}{year}年政府信息公开工作年度报告{draft}.{fmt}", media_type=media[fmt])


# ------------------------------------------------------------------ review


def review_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    agency = _agency(desk, request)
    year = request.path_params["year"]
    rv = reporting.view(desk.cfg, desk.store, agency.code, year)
    grids = []
    if rv.tables is not None:
        for section, grid in statutory_grids(rv.tables).items():
            grids.append((GRID_TABLE.get(section, section), grid))
    return desk.page(
        request, account, "review.html", agency=agency, year=year, rv=rv, grids=grids, history=desk.store.signoffs(agency.code, year), WARNING=WARNING
    )


def cell_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    agency = _agency(desk, request)
    year = request.path_params["year"]
    cell = request.path_params["cell"]
    result = cell_records(desk.cfg, agency.code, year, cell)
    return desk.page(request, account, "cell.html", agency=agency, year=year, cell=cell, result=result)


def decide(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert form is not None and account is not None
    agency = _agency(desk, request)
    year = request.path_params["year"]
    finding_id = str(form.get("finding", ""))
    decision = str(form.get("decision", ""))
    reason = str(form.get("reason", "")).strip()
    rv = reporting.view(desk.cfg, desk.store, agency.code, year)
    finding = next((f for f in rv.findings if f.id == finding_id), None)
    back = f"/agency/{agency.code}/{year}/review"
    if finding is None or decision not in ("confirm", "dismiss"):
        return desk.page(
            request,
            account,
            "message.html",
            400,
            title="没有这条问题 / no such finding",
            message="该问题已不存在（可能已更正） / the finding is gone",
            back=back,
        )
    if decision == "dismiss" and not finding.dismissible:
        return desk.page(
            request,
            account,
            "message.html",
            400,
            title="错误不能忽略 / an error cannot be dismissed",
            message="错误必须更正台账后重新上传 / correct the ledger and hand it in again",
            back=back,
        )
    if decision == "dismiss" and len(reason) < 4:
        return desk.page(
            request,
            account,
            "message.html",
            400,
            title="请写明理由 / a reason is required",
            message="忽略提示须写明理由（至少4个字） / write why (4 characters at least)",
            back=back,
        )
    desk.store.decide(agency.code, year, finding.id, decision, reason[:1000], account.name)
    return RedirectResponse(back + "#findings", status_code=303)


def sign(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    """draft → submitted (the clerk or the reviewer) → approved (the reviewer); the reviewer may send it back."""
    assert form is not None and account is not None
    agency = _agency(desk, request)
    year = request.path_params["year"]
    action = str(form.get("action", ""))
    rv = reporting.view(desk.cfg, desk.store, agency.code, year)
    back = f"/agency/{agency.code}/{year}/review" if account.is_reviewer else f"/agency/{agency.code}/{year}"
    allowed = {"submit": rv.state == "draft", "approve": account.is_reviewer and rv.state == "submitted", "return": account.is_reviewer and rv.state != "draft"}
    if not allowed.get(action, False):
        return desk.page(
            request,
            account,
            "message.html",
            400,
            title="当前状态不能这样操作 / not possible now",
            message=f"报告当前状态：{reporting.STATES[rv.state]}",
            back=back,
        )
    if action in ("submit", "approve") and rv.is_draft:
        return desk.page(request, account, "message.html", 400, title="报告仍是草稿 / the report is still a draft", message="；".join(rv.reasons), back=back)
    state = {"submit": "submitted", "approve": "approved", "return": "draft"}[action]
    desk.store.sign(agency.code, year, state, rv.fingerprint if state != "draft" else None, account.name, str(form.get("note", ""))[:500])
    if state == "approved":  # the files as approved, kept beside the desk's records
        paths = reporting.render(desk.cfg, rv)
        keep = desk.cfg.desk_dir / "approved" / agency.code / str(year) / dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        keep.mkdir(parents=True, exist_ok=True)
        for fmt, path in paths.items():
            (keep / f"report.{fmt}").write_bytes(path.read_bytes())
    return RedirectResponse(back, status_code=303)


# ------------------------------------------------------------------ county board and the background run


def board_page(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    county = request.path_params["county"]
    year = request.path_params["year"]
    rows = reporting.board(desk.cfg, desk.store, desk.directory.agencies(county), year)
    late = late_answers(desk.cfg, year)
    return desk.page(request, account, "board.html", county=county, year=year, rows=rows, late=late, job=desk.refresh.snapshot(), years=desk.years(year))


def refresh_status(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    return JSONResponse(desk.refresh.snapshot())


def refresh_start(desk: Desk, request: Request, account: Account | None, form: FormData | None) -> Response:
    assert account is not None
    started = desk.refresh.start(account.name)
    back = str(form.get("back", "")) if form else ""
    if not back.startswith("/") or back.startswith("//"):
        back = desk.home(account)
    return RedirectResponse(back + ("" if started else ("&" if "?" in back else "?") + "busy=1"), status_code=303)


def _form_year(form: FormData) -> int:
    try:
        year = int(str(form.get("year", "")))
    except ValueError:
        return dt.date.today().year - 1
    return year if 2000 <= year <= 2100 else dt.date.today().year - 1


def _query_year(request: Request, desk: Desk) -> int:
    try:
        year = int(request.query_params.get("year", ""))
    except ValueError:
        return desk.default_year()
    return year if 2000 <= year <= 2100 else desk.default_year()


def routes(desk: Desk) -> list:
    A = "/agency/{code}"
    Y = A + "/{year:int}"
    table = [
        ("/login", ["GET"], S.PUBLIC, login_page),
        ("/login", ["POST"], S.PUBLIC, login),
        ("/logout", ["POST"], S.USER, logout),
        ("/", ["GET"], S.USER, index),
        (Y, ["GET"], S.AGENCY, agency_page),
        (A + "/template/{kind}", ["GET"], S.AGENCY, template_download),
        (A + "/upload", ["POST"], S.CLERK, upload),
        (A + "/uploads/{upload_id:int}", ["GET"], S.AGENCY, upload_page),
        (Y + "/none", ["POST"], S.CLERK, declare_none),
        (Y + "/narrative", ["GET"], S.AGENCY, narrative_page),
        (Y + "/narrative", ["POST"], S.CLERK, narrative_save),
        (Y + "/report.{fmt}", ["GET"], S.AGENCY, report_file),
        (Y + "/review", ["GET"], S.AGENCY, review_page),
        (Y + "/cell/{cell}", ["GET"], S.AGENCY, cell_page),
        (Y + "/decision", ["POST"], S.REVIEWER, decide),
        (Y + "/signoff", ["POST"], S.AGENCY, sign),
        (A + "/refresh", ["GET"], S.AGENCY, refresh_status),
        (A + "/refresh", ["POST"], S.AGENCY, refresh_start),
        ("/county/{county}/{year:int}", ["GET"], S.COUNTY, board_page),
        ("/county/{county}/refresh", ["GET"], S.COUNTY, refresh_status),
        ("/county/{county}/refresh", ["POST"], S.COUNTY, refresh_start),
    ]
    out: list = [Route(path, _guard(desk, rule, handler), methods=methods) for path, methods, rule, handler in table]
    static = Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static")
    static.rule = S.PUBLIC  # type: ignore[attr-defined]
    return [*out, static]


def build_app(cfg: Settings, refresh: Refresh | None = None) -> Starlette:
    desk = Desk(cfg, refresh)
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=cfg.desk_secret().decode(),
            session_cookie="gongkai_desk",
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=cfg.desk_https,
        )
    ]
    app = Starlette(routes=routes(desk), middleware=[*middleware, Middleware(BaseHTTPMiddleware, dispatch=_headers)])
    app.state.desk = desk
    return app


async def _headers(request: Request, call_next) -> Response:
    response = await call_next(request)
    # no page of the desk may be framed or load anything from elsewhere
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
