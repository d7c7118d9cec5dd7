"""The HTTP API, over real HTTP: a uvicorn server on 127.0.0.1 and an httpx client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")
httpx = pytest.importorskip("httpx")

import policyrules  # noqa: E402
from policyrules.engine.result import Result  # noqa: E402
from policyrules.facts.case import Case  # noqa: E402
from policyrules.interfaces.http import Settings  # noqa: E402

from .conftest import BAOTOU_EMPLOYER as EMPLOYER
from .webserver import running  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REWARD_CLAUSE = "主要措施·实施民营企业安排残疾人就业·2"


@pytest.fixture(scope="module")
def api():
    with running() as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def strict_api():
    """A server with small limits and one allowed origin."""
    settings = Settings(
        max_body=2000,
        max_upload=4000,
        max_rows=5,
        timeout=0.001,
        max_cases=5000,
        cors_origins=("http://portal.example",),
    )
    with running(settings) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def problem_of(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# ── reading ──────────────────────────────────────────────────────────────


def test_health_names_every_served_pack(api):
    body = api.get("/health").json()
    assert body["status"] == "ok"
    assert body["packs"] == sorted(policyrules.shipped_packs())


def test_packs_lists_documents_and_validity(api):
    rows = {r["id"]: r for r in api.get("/packs").json()}
    assert set(rows) == set(policyrules.shipped_packs())
    assert rows["baotou"]["document"] == "包府办发〔2023〕43号"
    assert rows["baotou"]["valid_from"] == "2023-04-30" and rows["baotou"]["valid_until"] == "2024-12-31"
    assert rows["national_2025"]["valid_until"] is None


def test_pack_detail_has_rules_ledger_parameters(api):
    body = api.get("/packs/baotou").json()
    assert body["document"]["number"] == "包府办发〔2023〕43号"
    assert body["validity"]["from"]["date"] == "2023-04-30"
    reward = next(r for r in body["rules"] if r["id"] == "reward.excess_quota")
    assert reward["citation"]["clause"] == REWARD_CLAUSE
    assert body["ledger"] and all("clause" in e for e in body["ledger"])
    assert len(body["content_hash"]) == 16


def test_pack_detail_lists_inherited_rules(api):
    child = next(r for r in api.get("/packs").json() if r["parent"])
    body = api.get(f"/packs/{child['id']}").json()
    assert body["parent"] == child["parent"]
    own = {r["id"] for r in body["rules"]}
    assert body["inherited_rules"] and not own & set(body["inherited_rules"])


# ── deciding ─────────────────────────────────────────────────────────────


def test_evaluate_gives_the_reward_with_its_citation(api):
    r = api.post("/packs/baotou/evaluate", params={"as_of": "2024-06-01"}, json=EMPLOYER)
    assert r.status_code == 200
    result = Result.model_validate_json(r.text)
    reward = result.outcome("reward.excess_quota")
    assert reward is not None and reward.amount is not None
    assert str(reward.amount.total) == "29700"
    assert reward.citation.document == "包府办发〔2023〕43号" and reward.citation.clause == REWARD_CLAUSE
    # the same answer the library (and the CLI's --json) gives
    direct = policyrules.load_pack("baotou").evaluate(EMPLOYER, as_of=date(2024, 6, 1))
    assert json.loads(r.text) == json.loads(direct.to_json())


def test_durable_backend_gives_the_same_answer(api):
    pytest.importorskip("durable", reason="the durable extra is not installed")
    url = "/packs/baotou/evaluate"
    native = api.post(url, params={"as_of": "2024-06-01"}, json=EMPLOYER)
    durable = api.post(url, params={"as_of": "2024-06-01", "backend": "durable"}, json=EMPLOYER)
    assert durable.status_code == 200, durable.text
    a, b = native.json(), durable.json()
    assert (a["backend"], b["backend"]) == ("native", "durable")
    reward = next(e for e in b["entitlements"] if e["rule"] == "reward.excess_quota")
    assert reward["amount"]["total"] == "29700" and reward["citation"]["clause"] == REWARD_CLAUSE
    assert {**a, "backend": "durable"} == b


def test_evaluate_reports_a_missing_fact(api):
    case = {"unit": EMPLOYER["unit"]}
    body = api.post("/packs/baotou/evaluate", params={"as_of": "2024-06-01"}, json=case).json()
    reward = next(e for e in body["entitlements"] if e["rule"] == "reward.excess_quota")
    assert reward["amount"]["total"] is None and reward["amount"]["missing"] == ["place.monthly_minimum_wage"]


def test_evaluate_takes_a_yaml_case_file_as_body(api):
    text = (ROOT / "examples" / "baotou-employer.yaml").read_text(encoding="utf-8")
    r = api.post("/packs/baotou/evaluate?as_of=2024-06-01", content=text, headers={"content-type": "application/yaml"})
    assert r.status_code == 200
    assert next(e for e in r.json()["entitlements"] if e["rule"] == "reward.excess_quota")["amount"]["total"] == "29700"


def test_evaluate_out_of_force_says_so(api):
    body = api.post("/packs/baotou/evaluate", params={"as_of": "2026-01-01"}, json=EMPLOYER).json()
    assert body["validity"]["in_force"] is False


def test_explain_one_rule(api):
    r = api.post("/packs/baotou/explain", params={"as_of": "2024-06-01", "rule": "reward.excess_quota"}, json=EMPLOYER)
    assert r.status_code == 200
    rules = r.json()["rules"]
    assert [x["rule"] for x in rules] == ["reward.excess_quota"] and rules[0]["fired"] is True


def test_chinese_unless_english_is_asked_for(api):
    url = "/packs/baotou/evaluate?as_of=2024-06-01"

    def reward(r):
        return next(e for e in r.json()["entitlements"] if e["rule"] == "reward.excess_quota")

    zh = api.post(url, json=EMPLOYER)
    assert zh.headers["content-language"] == "zh-Hans" and "Accept-Language" in zh.headers["vary"]
    assert reward(zh)["title"].startswith("每超比例安排1名残疾人")
    en = api.post(url, json=EMPLOYER, headers={"accept-language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert en.headers["content-language"] == "en" and reward(en)["title"].startswith("Reward of 5")
    assert reward(en)["citation"]["quote"] == reward(zh)["citation"]["quote"]  # quotes stay as printed
    forced = api.post(url + "&lang=zh", json=EMPLOYER, headers={"accept-language": "en"})
    assert reward(forced)["title"] == reward(zh)["title"]
    body = problem_of(api.post(url + "&lang=fr", json=EMPLOYER), 422)
    assert body["problems"][0]["loc"] == ["query", "lang"]


def test_reasons_come_in_the_language_asked_for_with_their_figures(api):
    """Why not, a limit reached, a default and a plan out of force: Chinese by default, English when asked."""
    from .test_result_language import TRAINEE

    def said(response):
        body = response.json()
        limit = next(x["summary"] for x in body["exclusions"] if x["reason"] == "limit_reached")
        because = next(g["because"] for g in body["not_granted"] if g["rule"] == "recruitment.priority")
        return limit, because, body["defaults"][0]["reason"], body["validity"]["reason"]

    url = "/packs/baotou/evaluate"
    zh = said(api.post(url, params={"as_of": "2024-06-01"}, json=TRAINEE))
    assert zh[:3] == (
        "已达次数上限：每年最多 3 次",
        "不满足：application.kind == 'public_sector_recruitment'（application.kind=vocational_training）",
        "未给出申请日期：以评估日期作为申请日期",
    )
    en = said(api.post(url, params={"as_of": "2024-06-01"}, json=TRAINEE, headers={"accept-language": "en"}))
    assert en[0] == "limit reached: at most 3 per year" and en[1].startswith("not met: application.kind == ")
    assert en[2].startswith("no application date given")
    late = api.post(url, params={"as_of": "2030-01-01"}, json=TRAINEE).json()["validity"]["reason"]
    assert late.startswith("2030-01-01 不在有效期内：有效期至 2024-12-31")
    late = api.post(url, params={"as_of": "2030-01-01", "lang": "en"}, json=TRAINEE).json()["validity"]["reason"]
    assert late.startswith("not in force on 2030-01-01: ended 2024-12-31")


# ── bad input: the CLI's locations, as problem documents ─────────────────


def test_unknown_key_and_bad_value_are_located(api):
    text = '{\n  "unit": {"staf": 3,\n    "kind": "factory"}\n}'
    r = api.post("/packs/baotou/evaluate?lang=en", content=text, headers={"content-type": "application/json"})
    body = problem_of(r, 422)
    assert body["code"] == "invalid_input"
    by_loc = {tuple(p["loc"]): p for p in body["problems"]}
    assert by_loc[("unit", "staf")]["line"] == 2 and "unknown key 'staf'" in by_loc[("unit", "staf")]["message"]
    kind = by_loc[("unit", "kind")]
    assert (kind["file"], kind["line"], kind["column"]) == ("request body", 3, 13)
    assert kind["where"] == "request body:3:13"


def test_wrong_type_is_located(api):
    body = problem_of(api.post("/packs/baotou/evaluate", json={"unit": {"staff": "many"}}), 422)
    assert body["problems"][0]["loc"] == ["unit", "staff"]


def test_broken_json_gives_line_and_column(api):
    r = api.post(
        "/packs/baotou/evaluate",
        content='{"unit":\n  {"staff": }',
        headers={"content-type": "application/json", "accept-language": "en"},
    )
    body = problem_of(r, 422)
    assert (body["problems"][0]["line"], body["problems"][0]["column"]) == (2, 13)  # the "}" where a value belongs
    assert "invalid JSON" in body["detail"]


def test_a_problem_document_speaks_the_request_s_language(api):
    # Chinese unless the request asks (Accept-Language, or ?lang=); the location and path stay the same
    text = '{"unit": {"staff": -3, "staf": 1}}'
    said = {}
    asked = (("zh", "", {}), ("en", "", {"accept-language": "en-GB,en;q=0.9"}), ("en", "?lang=en", {}))
    for lang, query, headers in asked:
        url = "/packs/baotou/evaluate" + query
        r = api.post(url, content=text, headers={"content-type": "application/json", **headers})
        body = problem_of(r, 422)
        assert r.headers["content-language"] == ("zh-Hans" if lang == "zh" else "en")
        assert [(p["where"], p["loc"]) for p in body["problems"]] == [
            ("request body:1:20", ["unit", "staff"]),
            ("request body:1:24", ["unit", "staf"]),
        ]
        said[lang] = body
    zh, en = said["zh"], said["en"]
    assert zh["title"] == "输入无效" and en["title"] == "Invalid input"
    assert [p["message"] for p in zh["problems"]] == [
        "unit.staff：应大于或等于 0",
        "未知的键 'staf'；是否想写 'unit.staff' 或 'unit.is_hospital'？",
    ]
    assert [p["message"] for p in en["problems"]] == [
        "unit.staff: Input should be greater than or equal to 0",
        "unknown key 'staf'; did you mean 'unit.staff' or 'unit.is_hospital'?",
    ]
    assert zh["detail"] == "request body:1:20: unit.staff：应大于或等于 0（另有 1 个问题）"
    assert en["detail"] == "request body:1:20: unit.staff: Input should be greater than or equal to 0 (and 1 more)"
    # a refusal of the API's own: a bad parameter, an unknown pack
    zh = problem_of(api.post("/packs/baotou/evaluate", params={"as_of": "2024/06/01"}, json={}), 422)
    assert zh["title"] == "参数无效" and zh["detail"] == "as_of: 应为写成 YYYY-MM-DD 的日期，却是 '2024/06/01'"
    en = problem_of(api.post("/packs/gotham/evaluate", json={}, headers={"accept-language": "en"}), 404)
    zh = problem_of(api.post("/packs/gotham/evaluate", json={}), 404)
    assert en["title"] == "No such pack" and en["detail"].startswith("no pack 'gotham'; served packs: ")
    assert zh["title"] == "没有这个规则包" and zh["detail"].startswith("没有规则包 'gotham'；提供的规则包：")
    # and the server's own: no such address
    assert problem_of(api.get("/nowhere"), 404)["detail"] == "没有这个地址"
    assert problem_of(api.get("/nowhere?lang=en"), 404)["detail"] == "Not Found"


@pytest.mark.parametrize("content", ["[1, 2]", "", "3"])
def test_a_case_must_be_an_object(api, content):
    r = api.post("/packs/baotou/evaluate", content=content, headers={"content-type": "application/json"})
    assert problem_of(r, 422)["code"] == "invalid_input"


def test_other_media_types_are_refused(api):
    r = api.post("/packs/baotou/evaluate", content="staff=3", headers={"content-type": "text/plain"})
    assert problem_of(r, 415)["code"] == "unsupported_media_type"


def test_bad_as_of_and_unknown_rule(api, capsys):
    body = problem_of(api.post("/packs/baotou/evaluate", params={"as_of": "2024-02-30", "lang": "en"}, json={}), 422)
    assert body["problems"][0]["loc"] == ["query", "as_of"]
    # the same words as the command line and the Python API: one reading of as_of
    message = body["problems"][0]["message"]
    assert message == "'2024-02-30' is written YYYY-MM-DD but there is no such day"
    with pytest.raises(policyrules.InputError) as raised:
        policyrules.load_pack("baotou").evaluate({}, as_of="2024-02-30")
    assert str(raised.value) == f"as_of: {message}"
    from policyrules.interfaces.cli import main

    employer = str(ROOT / "examples" / "baotou-employer.yaml")
    assert main(["evaluate", "baotou", employer, "--as-of", "2024-02-30", "--lang", "en"]) == 2
    assert capsys.readouterr().err == f"policyrules: --as-of: {message}\n"
    body = problem_of(api.post("/packs/baotou/explain", params={"rule": "reward.nope"}, json={}), 422)
    assert body["problems"][0]["loc"] == ["query", "rule"]


def test_unknown_backend_is_a_parameter_problem(api):
    body = problem_of(api.post("/packs/baotou/evaluate", params={"backend": "rete"}, json={}), 422)
    assert body["problems"][0]["loc"] == ["query", "backend"]


def test_unknown_pack_is_404(api):
    body = problem_of(api.post("/packs/gotham/evaluate", json={}), 404)
    assert body["code"] == "pack_not_found" and "baotou" in body["detail"]


def test_a_path_never_reaches_a_file(api):
    # only ids of served packs are accepted; a pack file's path is not a pack id
    for name in ("..%2Frules%2Fbaotou.yaml", "baotou.yaml", "%2Fetc%2Fpasswd"):
        assert api.get(f"/packs/{name}").status_code == 404


def test_no_pack_upload(api):
    assert problem_of(api.post("/packs", json={"id": "x"}), 405)
    assert problem_of(api.put("/packs/baotou", json={}), 405)


# ── comparing ────────────────────────────────────────────────────────────


def test_structural_diff_one_topic(api):
    body = api.get("/diff/baotou/jinan", params={"topic": "reward.excess_quota"}).json()
    assert body["a"]["id"] == "baotou" and body["b"]["id"] == "jinan"
    assert [t["topic"] for t in body["topics"]] == ["reward.excess_quota"]


def test_behavioural_diff_and_its_bounds(api):
    body = api.get("/diff/baotou/jinan", params={"cases": 500, "topic": "reward.excess_quota"}).json()
    assert body["cases"] == 500 and body["topics"][0]["compared"] == 500
    body = problem_of(api.get("/diff/baotou/jinan", params={"topic": "reward.excess_qota"}), 422)
    assert body["problems"][0]["loc"] == ["query", "topic"]
    assert problem_of(api.get("/diff/baotou/jinan", params={"cases": 0}), 422)
    assert problem_of(api.get("/diff/baotou/gotham"), 404)


def test_matrix_of_chosen_packs(api):
    body = api.get("/matrix", params=[("pack", "baotou"), ("pack", "rizhao")]).json()
    assert [c["pack"] for c in body["columns"]] == ["baotou", "rizhao"]
    assert len(api.get("/matrix").json()["columns"]) == len(policyrules.shipped_packs())


# ── description ──────────────────────────────────────────────────────────


def test_schemas_and_openapi(api):
    assert api.get("/schema/case").json() == Case.model_json_schema(by_alias=True)
    assert api.get("/schema/result").json() == Result.model_json_schema(by_alias=True)
    spec = api.get("/openapi.json").json()
    for path in ("/packs", "/packs/{pack_id}", "/packs/{pack_id}/evaluate", "/diff/{a}/{b}", "/matrix", "/health"):
        assert path in spec["paths"]
    evaluate = spec["paths"]["/packs/{pack_id}/evaluate"]["post"]
    assert evaluate["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Case"}
    assert "Case" in spec["components"]["schemas"] and "Result" in spec["components"]["schemas"]
    assert "Person" in spec["components"]["schemas"]  # the case's parts are there for its $refs


# ── limits and CORS ──────────────────────────────────────────────────────


def test_a_body_over_the_limit_is_refused(strict_api):
    big = {"place": {"district": "区" * 3000}}
    body = problem_of(strict_api.post("/packs/baotou/evaluate?lang=en", json=big), 413)
    assert "2000 bytes" in body["detail"]

    def chunks():  # no Content-Length: the limit is enforced while the bytes arrive
        yield b'{"place": {"district": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}}'

    r = strict_api.post("/packs/baotou/evaluate", content=chunks(), headers={"content-type": "application/json"})
    assert problem_of(r, 413)["code"] == "too_large"


def test_work_over_the_time_limit_is_refused(strict_api):
    body = problem_of(strict_api.get("/diff/baotou/jinan", params={"cases": 5000, "lang": "en"}), 503)
    assert body["code"] == "timeout" and "0.001 s" in body["detail"]
    body = problem_of(strict_api.get("/diff/baotou/jinan", params={"cases": 5001, "lang": "en"}), 422)
    assert "at most 5000" in body["detail"]


def test_cors_is_off_unless_origins_are_named(api, strict_api):
    headers = {"origin": "http://portal.example"}
    assert "access-control-allow-origin" not in api.get("/health", headers=headers).headers
    allowed = strict_api.get("/health", headers=headers).headers
    assert allowed["access-control-allow-origin"] == "http://portal.example"
    other = strict_api.get("/health", headers={"origin": "http://elsewhere.example"}).headers
    assert "access-control-allow-origin" not in other


# ── the command ──────────────────────────────────────────────────────────


def test_policyrules_serve_runs_and_answers():
    cmd = [str(Path(sys.executable).with_name("policyrules")), "serve", "--port", "0", "--log-level", "info"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        deadline, port = time.monotonic() + 60, None
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "policyrules serve exited early"
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        assert port, "policyrules serve did not start listening"
        r = httpx.post(f"http://127.0.0.1:{port}/packs/baotou/evaluate?as_of=2024-06-01", json=EMPLOYER)
        assert r.json()["entitlements"][0]["citation"]["document"] == "包府办发〔2023〕43号"
    finally:
        proc.terminate()
        proc.wait(10)


def test_missing_web_extra_is_named(monkeypatch, capsys):
    from policyrules.interfaces.cli import main

    monkeypatch.setitem(sys.modules, "fastapi", None)  # import fastapi now raises ImportError
    assert main(["serve"]) == 2
    assert "pip install 'policyrules[web]'" in capsys.readouterr().err


def test_configured_pack_is_served(tmp_path):
    text = (ROOT / "rules" / "baotou.yaml").read_text(encoding="utf-8").replace("id: baotou", "id: baotou_local", 1)
    path = tmp_path / "baotou_local.yaml"
    path.write_text(text, encoding="utf-8")
    with running(Settings(packs=(str(path),))) as url:
        ids = [r["id"] for r in httpx.get(f"{url}/packs").json()]
        assert "baotou_local" in ids and "baotou" in ids
        r = httpx.post(f"{url}/packs/baotou_local/evaluate?as_of=2024-06-01", json=EMPLOYER)
        assert r.json()["pack"] == "baotou_local"


def test_a_defect_is_a_problem_document_too(monkeypatch):
    from policyrules.interfaces.http.routers import meta

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(meta.Case, "model_json_schema", broken)
    with running() as url:
        body = problem_of(httpx.get(f"{url}/schema/case"), 500)
    assert body["code"] == "internal_error" and "boom" not in body["detail"]


# ── batch ────────────────────────────────────────────────────────────────

TABLE = (
    "unit.kind,unit.staff,unit.disabled_employees,unit.fiscally_funded,unit.is_concentrated_employment_unit,"
    "place.monthly_minimum_wage\n"
    "private_enterprise,200,6,false,false,1980\n"
    "private_enterprise,100,1,false,false,1980\n"
)


def batch_post(client, table, **params):
    params.setdefault("as_of", "2024-06-01")
    return client.post("/packs/liaocheng/batch", params=params, content=table, headers={"content-type": "text/csv"})


def test_batch_csv_in_csv_out(api):
    pytest.importorskip("pyarrow")
    import csv
    import io

    r = batch_post(api, TABLE, output="csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["state.reward.excess_quota"] for row in rows] == ["fired", "not"]  # 3 beyond the quota; 1 below it
    summary = json.loads(r.headers["policyrules-summary"])
    assert (summary["pack"], summary["rows"], summary["evaluated"]) == ("liaocheng", 2, 2)


def test_batch_parquet_in_parquet_out(api):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    buffer = pa.BufferOutputStream()
    pq.write_table(pacsv.read_csv(pa.py_buffer(TABLE.encode())), buffer)
    r = api.post(
        "/packs/liaocheng/batch?as_of=2024-06-01",
        content=buffer.getvalue().to_pybytes(),
        headers={"content-type": "application/vnd.apache.parquet"},
    )
    assert r.status_code == 200 and r.content[:4] == b"PAR1"
    table = pq.read_table(pa.BufferReader(r.content))
    assert table.column("state.reward.excess_quota").to_pylist() == ["fired", "not"]


def test_batch_bad_values_listed_or_skipped(api):
    pytest.importorskip("pyarrow")
    bad = TABLE.replace("200,6", "200,six")
    body = problem_of(batch_post(api, bad), 422)
    assert body["code"] == "invalid_table" and "request body" in body["detail"] and "/tmp" not in body["detail"]
    assert body["problems"][0]["loc"] == ["body", 0, "unit.disabled_employees"]
    r = batch_post(api, bad, on_error="skip", output="csv")
    assert r.status_code == 200 and json.loads(r.headers["policyrules-summary"])["bad_rows"] == 1
    assert r.text.count("\n") == 2  # the header and the one good row


def test_batch_limits_and_media(strict_api):
    pytest.importorskip("pyarrow")
    more = TABLE + "private_enterprise,100,1,false,false,1980\n" * 4  # 6 rows
    with running(Settings(max_rows=5)) as url, httpx.Client(base_url=url) as client:
        body = problem_of(batch_post(client, more, lang="en"), 413)
        assert "limit of 5 rows" in body["detail"]
        assert batch_post(client, TABLE).status_code == 200
    body = problem_of(batch_post(strict_api, TABLE * 30, lang="en"), 413)  # over the upload limit in bytes
    assert "4000 bytes" in body["detail"]
    assert problem_of(batch_post(strict_api, TABLE), 503)["code"] == "timeout"
    r = strict_api.post("/packs/liaocheng/batch", content=TABLE, headers={"content-type": "application/json"})
    assert problem_of(r, 415)
