#!/usr/bin/env python3
"""The bench province for bench/engine.sh: a deterministic index set (957 indicators over 1,200
data elements), five years of reported values, two years of dossiers and 1022 feedback, and the
same computation written as SQL for PostgreSQL and SQLite. Same bytes for the same arguments.

Usage:
  gen_index.py --units UNITS.json --province PROVINCE.json --old-units OLD.csv
               --successions SUCC.csv --out DIR [--seed S] [--dossiers N] [--feedback N]
               [--latency-batches B --latency-size K] [--today YYYY-MM-DD]

UNITS.json is `pdh units ls --parent P --json` (the province's communes and agencies),
PROVINCE.json `pdh units show P --json`; OLD.csv (id,code,level,valid_from,valid_to) the units
no longer valid that share a code with a current one, SUCC.csv (old_id,new_code) the 2025
successions of those into the province's current units (both read from pdh's database by
engine.sh). They give the SQL the crosswalk the engine applies: a value reported for a period
before 1 July 2025 under a code that was then an old commune's goes to that commune's
successors (population shares when it was split).

Writes into DIR:
  index.json             the index set, for `pdh indicators import`
  values-NN.csv          element,option,unit,period,value (500,000 rows a file; `pdh values import`
                         takes at most 1,000,000 a file)
  dossiers.csv           bench/gen_dossiers.py, 2024-01-01..2025-12-31
  feedback.csv           feedback_1022 records, same years
  latency.csv            B x K new dossiers (December 2025, ids LAT...) for the latency run
  sql/ref/*.csv          units, tree, crosswalk, elements, indicators, periods
  sql/{pg,sqlite}_{schema,load,compute,export}.sql
  meta.json              counts
"""
import argparse
import bisect
import csv
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST_YEAR, LAST_YEAR = 2021, 2025          # reported values: 60 months
RECORD_START, RECORD_DAYS = "2024-01-01", 731  # dossiers and feedback: 2024 and 2025
REFORM = (2025, 7)                           # kReform2025: communes merged on 1 July 2025
VALUES_PER_FILE = 500_000

SECTORS = [
    ("YT", "Y tế", "Health", "ca", "cases"),
    ("GD", "Giáo dục và Đào tạo", "Education and training", "học sinh", "pupils"),
    ("NN", "Nông nghiệp và Môi trường", "Agriculture and environment", "tấn", "tonnes"),
    ("CT", "Công Thương", "Industry and trade", "cơ sở", "establishments"),
    ("TC", "Tài chính", "Finance", "triệu đồng", "million VND"),
    ("LD", "Nội vụ, Lao động", "Home affairs and labour", "người", "people"),
    ("XD", "Xây dựng, Giao thông", "Construction and transport", "công trình", "works"),
    ("VH", "Văn hóa, Thể thao và Du lịch", "Culture, sports and tourism", "lượt khách", "visitors"),
    ("KH", "Khoa học và Công nghệ", "Science and technology", "lượt", "uses"),
    ("CA", "An ninh, trật tự", "Public security", "vụ", "incidents"),
    ("XH", "Bảo trợ xã hội", "Social protection", "hộ", "households"),
    ("DS", "Dân số", "Population", "người", "people"),
]
SECTOR_CODES = [s[0] for s in SECTORS]
PUBLIC_SECTOR = ("HC", "Hành chính công", "Public administration")

# How many reported elements of each kind (1,182) and the rule elements (18) make 1,200.
KINDS = [
    # kind, count, aggregation, time_aggregation, periodicity, reporting
    ("cflow", 520, "sum", "sum", "month", "communes"),        # families of 4: total + 3 parts
    ("cstock", 60, "sum", "last", "month", "communes"),
    ("crate", 40, "average", "average", "month", "communes"),
    ("cmin", 5, "min", "average", "month", "communes"),
    ("cmax", 5, "max", "average", "month", "communes"),
    ("pflow", 380, "sum", "sum", "month", "province"),        # families of 4
    ("pstock", 60, "sum", "last", "month", "province"),
    ("pnone", 12, "none", "last", "month", "province"),
    ("aflow", 40, "sum", "sum", "month", "agencies"),         # families of 4
    ("cquarter", 40, "sum", "sum", "quarter", "communes"),    # families of 4
    ("pyear", 20, "sum", "sum", "year", "province"),
]

# Elements computed from the datasets' records: (code, name, name_en, measure, aggregation,
# time_aggregation, rule).
D, F = "dossiers", "feedback_1022"
SATISFIED = {"field": "satisfaction", "op": "=", "values": ["very_satisfied", "satisfied"]}
RULES = [
    ("HS_TIEP_NHAN", "Số hồ sơ tiếp nhận", "Dossiers received", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count"}),
    ("HS_TRUC_TUYEN", "Số hồ sơ nộp trực tuyến", "Dossiers submitted online", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count", "filters": [{"field": "channel", "op": "=", "values": ["online"]}]}),
    ("HS_DU_DK_TOAN_TRINH", "Số hồ sơ đủ điều kiện trực tuyến toàn trình",
     "Dossiers eligible for full-process online", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count",
      "filters": [{"field": "full_online_eligible", "op": "=", "values": ["true"]}]}),
    ("HS_TOAN_TRINH", "Số hồ sơ trực tuyến toàn trình", "Full-process online dossiers", "hồ sơ",
     "sum", "sum",
     {"dataset": D, "op": "count",
      "filters": [{"field": "full_online_eligible", "op": "=", "values": ["true"]},
                  {"field": "full_online", "op": "=", "values": ["true"]}]}),
    ("HS_HOAN_THANH", "Số hồ sơ đã giải quyết", "Dossiers completed", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count", "filters": [{"field": "status", "op": "=", "values": ["completed"]}]}),
    ("HS_DUNG_HAN", "Số hồ sơ giải quyết đúng hạn", "Dossiers completed on time", "hồ sơ", "sum",
     "sum",
     {"dataset": D, "op": "count",
      "filters": [{"field": "status", "op": "=", "values": ["completed"]},
                  {"field": "completed_at", "op": "<=", "other": "due_at"}]}),
    ("HS_CO_PHI", "Số hồ sơ có phí, lệ phí", "Dossiers with a fee", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count", "filters": [{"field": "fee", "op": "!=", "values": ["0"]}]}),
    ("HS_TT_TRUC_TUYEN", "Số hồ sơ thanh toán trực tuyến", "Dossiers paid online", "hồ sơ", "sum",
     "sum",
     {"dataset": D, "op": "count",
      "filters": [{"field": "fee", "op": "!=", "values": ["0"]},
                  {"field": "paid_online", "op": "=", "values": ["true"]}]}),
    ("HS_SO_HOA", "Số hồ sơ được số hóa", "Dossiers digitized", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count", "filters": [{"field": "digitized", "op": "=", "values": ["true"]}]}),
    ("HS_DANH_GIA", "Số hồ sơ được đánh giá", "Dossiers rated", "hồ sơ", "sum", "sum",
     {"dataset": D, "op": "count", "filters": [{"field": "satisfaction", "op": "not_null"}]}),
    ("HS_HAI_LONG", "Số hồ sơ được đánh giá hài lòng", "Dossiers rated satisfied", "hồ sơ", "sum",
     "sum", {"dataset": D, "op": "count", "filters": [SATISFIED]}),
    ("PHI_THU", "Phí, lệ phí thu được", "Fees collected", "đồng", "sum", "sum",
     {"dataset": D, "op": "sum", "field": "fee",
      "filters": [{"field": "status", "op": "!=", "values": ["cancelled"]}]}),
    ("PHI_TB", "Phí, lệ phí bình quân một hồ sơ có phí", "Average fee of a dossier with a fee",
     "đồng", "average", "average",
     {"dataset": D, "op": "average", "field": "fee",
      "filters": [{"field": "fee", "op": "!=", "values": ["0"]}]}),
    ("NGUOI_NOP", "Số người nộp hồ sơ", "Applicants", "người", "sum", "sum",
     {"dataset": D, "op": "distinct", "field": "applicant_id"}),
    ("PA_TIEP_NHAN", "Số phản ánh, kiến nghị tiếp nhận", "Feedback received", "phản ánh", "sum",
     "sum", {"dataset": F, "op": "count"}),
    ("PA_DA_XU_LY", "Số phản ánh đã xử lý", "Feedback resolved", "phản ánh", "sum", "sum",
     {"dataset": F, "op": "count", "filters": [{"field": "result", "op": "=", "values": ["resolved"]}]}),
    ("PA_DUNG_HAN", "Số phản ánh xử lý đúng hạn", "Feedback resolved on time", "phản ánh", "sum",
     "sum",
     {"dataset": F, "op": "count",
      "filters": [{"field": "result", "op": "=", "values": ["resolved"]},
                  {"field": "resolved_at", "op": "<=", "other": "deadline_at"}]}),
    ("PA_HAI_LONG", "Số phản ánh được đánh giá hài lòng", "Feedback rated satisfied", "phản ánh",
     "sum", "sum",
     {"dataset": F, "op": "count",
      "filters": [{"field": "result", "op": "=", "values": ["resolved"]}, SATISFIED]}),
]
# Indicators over the rule elements: (code, name, name_en, template, refs, factor, direction).
RULE_INDICATORS = [
    ("DVC_TRUC_TUYEN", "Tỷ lệ hồ sơ nộp trực tuyến", "Share of dossiers submitted online",
     "ratio_nd", ["HS_TRUC_TUYEN", "HS_TIEP_NHAN"], 100),
    ("DVC_TOAN_TRINH", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Share of full-process online dossiers",
     "ratio_nd", ["HS_TOAN_TRINH", "HS_DU_DK_TOAN_TRINH"], 100),
    ("DVC_DUNG_HAN", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Share of dossiers completed on time",
     "ratio_nd", ["HS_DUNG_HAN", "HS_HOAN_THANH"], 100),
    ("DVC_TT_TRUC_TUYEN", "Tỷ lệ thanh toán trực tuyến", "Share of fees paid online",
     "ratio", ["HS_TT_TRUC_TUYEN", "HS_CO_PHI"], 100),
    ("DVC_SO_HOA", "Tỷ lệ số hóa hồ sơ", "Share of dossiers digitized",
     "ratio", ["HS_SO_HOA", "HS_TIEP_NHAN"], 100),
    ("DVC_HAI_LONG", "Tỷ lệ hài lòng", "Share satisfied", "ratio", ["HS_HAI_LONG", "HS_DANH_GIA"], 100),
    ("DVC_HOAN_THANH", "Tỷ lệ hồ sơ đã giải quyết", "Share of dossiers completed",
     "ratio", ["HS_HOAN_THANH", "HS_TIEP_NHAN"], 100),
    ("PA_TL_XU_LY", "Tỷ lệ phản ánh đã xử lý", "Share of feedback resolved",
     "ratio", ["PA_DA_XU_LY", "PA_TIEP_NHAN"], 100),
    ("PA_TL_DUNG_HAN", "Tỷ lệ phản ánh xử lý đúng hạn", "Share of feedback resolved on time",
     "ratio", ["PA_DUNG_HAN", "PA_DA_XU_LY"], 100),
    ("PA_TL_HAI_LONG", "Tỷ lệ phản ánh hài lòng", "Share of feedback satisfied",
     "ratio", ["PA_HAI_LONG", "PA_DA_XU_LY"], 100),
    ("DVC_HS_NGHIN_DAN", "Hồ sơ trên 1.000 dân", "Dossiers per 1,000 people",
     "percap", ["HS_TIEP_NHAN"], 1000),
    ("DVC_NGUOI_NOP_NGHIN_DAN", "Người nộp hồ sơ trên 1.000 dân", "Applicants per 1,000 people",
     "percap", ["NGUOI_NOP"], 1000),
    ("PA_NGHIN_DAN", "Phản ánh trên 1.000 dân", "Feedback per 1,000 people",
     "percap", ["PA_TIEP_NHAN"], 1000),
    ("DVC_TANG_HS", "Tăng trưởng số hồ sơ so với cùng kỳ", "Dossiers, change on a year before",
     "growth", ["HS_TIEP_NHAN"], 100),
    ("DVC_TANG_PHI", "Tăng trưởng phí, lệ phí so với cùng kỳ", "Fees, change on a year before",
     "growth", ["PHI_THU"], 100),
    ("PA_TANG", "Tăng trưởng phản ánh so với cùng kỳ", "Feedback, change on a year before",
     "growth", ["PA_TIEP_NHAN"], 100),
    ("DVC_TRUC_TUYEN_LK", "Tỷ lệ hồ sơ trực tuyến lũy kế năm", "Share online, year to date",
     "ytd", ["HS_TRUC_TUYEN", "HS_TIEP_NHAN"], 100),
    ("DVC_DUNG_HAN_LK", "Tỷ lệ đúng hạn lũy kế năm", "Share on time, year to date",
     "ytd", ["HS_DUNG_HAN", "HS_HOAN_THANH"], 100),
    ("PA_DUNG_HAN_LK", "Tỷ lệ phản ánh đúng hạn lũy kế năm", "Feedback on time, year to date",
     "ytd", ["PA_DUNG_HAN", "PA_DA_XU_LY"], 100),
]
N_INDICATORS = 957
# How many indicators of each template (the rule indicators above count in theirs).
TEMPLATE_COUNTS = {"single": 305, "ratio": 160, "ratio_nd": 80, "percap": 150, "growth": 150,
                   "ytd": 80, "sumshare": 20, "const": 12}
CONSTANTS = [
    ("KH_THU_NGAN_SACH", "Kế hoạch thu ngân sách tháng (triệu đồng)", 1_250_000.0),
    ("KH_KHACH_DU_LICH", "Kế hoạch khách du lịch tháng", 420_000.0),
    ("KH_VON_DAU_TU", "Kế hoạch giải ngân vốn đầu tư tháng (triệu đồng)", 862_500.5),
    ("DAN_SO_2024", "Dân số trung bình năm 2024", 3_254_170.0),
]

SEASON = [0.92, 0.78, 1.02, 0.99, 1.03, 1.01, 1.0, 1.04, 1.0, 1.03, 1.05, 1.13]


# --- Periods ---------------------------------------------------------------------------------

def month_id(y, m):
    return f"{y:04d}-{m:02d}"


def pre_reform_month(y, m):
    return (y, m) < REFORM


class Periods:
    """Every period of the axis with what the engine derives from it: its year and number (month
    1-12, quarter 1-4, 0 for a year), the period 12 months earlier (offset(x, -12)), the
    year-to-date it widens to (ytd(x)), whether it ends before the reform, and for months and
    quarters the quarter and year they fall in."""

    def __init__(self, first_year, last_year):
        self.rows = []  # [id, pid, kind, year, n, pre, m12 pid, ytd pid, quarter pid, year pid]
        self.index = {}
        years = range(first_year, last_year + 1)
        for y in years:
            for m in range(1, 13):
                self._add(month_id(y, m), "month", y, m, pre_reform_month(y, m),
                          self._month_shift(y, m, -12), f"{month_id(y, m)}YTD",
                          f"{y}Q{(m - 1) // 3 + 1}", f"{y}")
        # offset(x, -12) counts months: a quarter's is the same quarter a year before, a year's
        # the year before.
        for y in years:
            for q in range(1, 5):
                self._add(f"{y}Q{q}", "quarter", y, q, pre_reform_month(y, q * 3),
                          f"{y - 1}Q{q}", f"{month_id(y, q * 3)}YTD", "", f"{y}")
        for y in years:
            self._add(f"{y}", "year", y, 0, pre_reform_month(y, 12), f"{y - 1}", f"{y}", "", "")
        for y in years:
            for m in range(1, 13):
                pid = f"{month_id(y, m)}YTD"
                self._add(pid, "ytd", y, m, pre_reform_month(y, m),
                          self._month_shift(y, m, -12) + "YTD", pid, "", "")

    @staticmethod
    def _month_shift(y, m, k):
        yy, mm = divmod(y * 12 + m - 1 + k, 12)
        return month_id(yy, mm + 1)

    def _add(self, pid, kind, year, n, pre, m12, ytd, quarter, yr):
        i = len(self.rows) + 1
        self.index[pid] = i
        self.rows.append([i, pid, kind, year, n, 1 if pre else 0, m12, ytd, quarter, yr])

    def table(self):
        ix = lambda p: self.index.get(p, "")  # noqa: E731 - outside the axis: none
        return [(i, pid, kind, year, n, pre, ix(m12), ix(ytd), ix(q), ix(yr))
                for i, pid, kind, year, n, pre, m12, ytd, q, yr in self.rows]


# --- Units and the crosswalk -----------------------------------------------------------------

def load_units(a):
    with open(a.units, encoding="utf-8") as f:
        children = json.load(f)
    with open(a.province, encoding="utf-8") as f:
        province = json.load(f)
    pcode = province["code"]
    for u in children:
        if u.get("parent") != pcode:
            sys.exit(f"gen_index: {u['code']} is not a child of {pcode}")
    units = [province] + children
    communes = [u for u in children if u["level"] == "commune"]
    agencies = [u for u in children if u["level"] == "agency"]
    return units, province, communes, agencies


def crosswalk(a, units, today):
    """src -> [(unit code, weight, own)] for periods before the reform (pre=1) and after (pre=0),
    for every code values are reported under, as the engine's SourceUnit and Layout do."""
    current = {u["code"]: u for u in units}
    pcode = units[0]["code"]
    old = {}  # code -> [old unit rows not valid today]
    with open(a.old_units, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            old.setdefault(r["code"], []).append(r)
    succ = {}  # old id -> [new codes among the province's current units]
    with open(a.successions, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["new_code"] in current and r["new_code"] != pcode:
                succ.setdefault(r["old_id"], []).append(r["new_code"])
    mapping = {}
    for code in current:
        mapping[(code, 0)] = [(code, 1.0, 1)]
        # Before the reform the code names the unit valid then: an old commune with successors
        # here sends its values to them; anything else is the current unit's own.
        then = [r for r in old.get(code, [])
                if (not r["valid_from"] or r["valid_from"] < "2021-01-01")
                and r["valid_to"] and "2025-06-30" < r["valid_to"] <= today]
        target = None
        if len(then) > 1:
            sys.exit(f"gen_index: several old units with code {code}")
        if then and then[0]["level"] == "commune" and succ.get(then[0]["id"]):
            target = sorted(set(succ[then[0]["id"]]))
        if target is None:
            mapping[(code, 1)] = [(code, 1.0, 1)]
            continue
        if len(target) == 1:
            mapping[(code, 1)] = [(target[0], 1.0, 0)]
        else:
            pops = [float(current[t].get("population") or 0) for t in target]
            total = sum(pops)
            mapping[(code, 1)] = [(t, p / total if total > 0 else 1.0 / len(target), 0)
                                  for t, p in zip(target, pops)]
    return mapping


# --- The index set ---------------------------------------------------------------------------

def build_index(seed):
    rng = random.Random(f"{seed}:index")
    elements = []  # dicts with generation parameters under "_"
    counters = {}

    def add(kind, sector, agg, tagg, periodicity, reporting, gen, family=None, part=None):
        s = next(x for x in SECTORS if x[0] == sector)
        n = counters[(sector, kind)] = counters.get((sector, kind), 0) + 1
        tag = {"cflow": "X", "cstock": "S", "crate": "R", "cmin": "N", "cmax": "M", "pflow": "T",
               "pstock": "K", "pnone": "L", "aflow": "A", "cquarter": "Q", "pyear": "Y"}[kind]
        code = f"{sector}_{tag}{n:03d}"
        if kind in ("crate",):
            measure, measure_en = "%", "%"
        elif kind in ("cmin", "cmax"):
            measure, measure_en = "mm", "mm"
        elif kind in ("cstock", "pstock", "pnone"):
            measure, measure_en = "cơ sở", "facilities"
        else:
            measure, measure_en = s[3], s[4]
        what = {"cflow": "phát sinh trong kỳ", "cstock": "hiện có cuối kỳ", "crate": "tỷ lệ bình quân",
                "cmin": "mức thấp nhất", "cmax": "mức cao nhất", "pflow": "toàn tỉnh trong kỳ",
                "pstock": "toàn tỉnh cuối kỳ", "pnone": "chỉ số cấp tỉnh", "aflow": "của sở, ngành",
                "cquarter": "theo quý", "pyear": "theo năm"}[kind]
        what_en = {"cflow": "in the period", "cstock": "at the end of the period",
                   "crate": "average rate", "cmin": "lowest", "cmax": "highest",
                   "pflow": "province, in the period", "pstock": "province, end of period",
                   "pnone": "province index", "aflow": "by agencies", "cquarter": "quarterly",
                   "pyear": "yearly"}[kind]
        part_vi = f", thành phần {part}" if part else ""
        part_en = f", part {part}" if part else ""
        e = {
            "code": code,
            "name": f"{s[1]}: số liệu {what} {n:03d}{part_vi}",
            "name_en": f"{s[2]}: figure {what_en} {n:03d}{part_en}",
            "sector": sector,
            "measure": measure,
            "aggregation": agg,
            "time_aggregation": tagg,
            "periodicity": periodicity,
            "reporting": reporting,
            "rule": None,
            "_": dict(gen, kind=kind, family=family),
        }
        elements.append(e)
        return e

    families = {}  # kind -> [[total, part1, part2, part3], ...]
    for kind, count, agg, tagg, periodicity, reporting in KINDS:
        made = 0
        fam_no = 0
        while made < count:
            sector = SECTOR_CODES[(made // 4 if kind in ("cflow", "pflow", "aflow", "cquarter") else made)
                                  % len(SECTOR_CODES)]
            if kind in ("cflow", "pflow", "aflow", "cquarter"):
                fam_no += 1
                rate = math.exp(rng.uniform(math.log(0.3), math.log(60)))
                gen = {"rate": rate, "growth": rng.uniform(-0.03, 0.12), "noise": rng.uniform(0.03, 0.15),
                       "missing": rng.choice([0.0, 0.002, 0.01, 0.03]),
                       "coverage": rng.choice([1.0, 1.0, 0.97, 0.9])}
                total = add(kind, sector, agg, tagg, periodicity, reporting, gen, family=fam_no)
                fam = [total]
                for p in range(1, 4):
                    if made + len(fam) >= count:
                        break
                    pg = dict(gen, share=rng.uniform(0.05, 0.45), noise=rng.uniform(0.02, 0.1))
                    fam.append(add(kind, sector, agg, tagg, periodicity, reporting, pg, family=fam_no,
                                   part=p))
                families.setdefault(kind, []).append(fam)
                made += len(fam)
            else:
                gen = {"rate": math.exp(rng.uniform(math.log(0.05), math.log(20))),
                       "growth": rng.uniform(-0.02, 0.06), "noise": rng.uniform(0.01, 0.08),
                       "missing": rng.choice([0.0, 0.005, 0.02]),
                       "coverage": rng.choice([1.0, 0.95]),
                       "level": rng.uniform(40, 95)}
                e = add(kind, sector, agg, tagg, periodicity, reporting, gen)
                families.setdefault(kind, []).append([e])
                made += 1
    for code, name, name_en, measure, agg, tagg, rule in RULES:
        elements.append({"code": code, "name": name, "name_en": name_en, "sector": PUBLIC_SECTOR[0],
                         "measure": measure, "aggregation": agg, "time_aggregation": tagg,
                         "periodicity": "month", "reporting": "", "rule": rule,
                         "_": {"kind": "rule"}})

    # Indicators, by template, from the families.
    indicators = []
    codes = set()

    def ind(template, refs, factor, name, name_en, sector, measure, code=None, direction="up",
            constant=None, numerator_form=False):
        if code is None:
            code = f"CS_{sector}_{len(indicators) + 1:04d}"
        assert code not in codes, code
        codes.add(code)
        a = refs[0]
        if template == "single":
            expr = f"#{{{a}}}"
        elif template in ("ratio", "ratio_nd"):
            expr = f"#{{{a}}} / #{{{refs[1]}}} * {factor}"
        elif template == "percap":
            expr = f"#{{{a}}} / population * {factor}"
        elif template == "growth":
            expr = f"(#{{{a}}} - offset(#{{{a}}}, -12)) / offset(#{{{a}}}, -12) * {factor}"
        elif template == "ytd":
            expr = f"ytd(#{{{a}}}) / ytd(#{{{refs[1]}}}) * {factor}"
        elif template == "sumshare":
            expr = f"(#{{{a}}} + #{{{refs[1]}}}) / #{{{refs[2]}}} * {factor}"
        elif template == "const":
            expr = f"#{{{a}}} / C{{{constant}}} * {factor}"
        else:
            raise ValueError(template)
        d = {"code": code, "name": name, "name_en": name_en, "sector": sector, "measure": measure,
             "periodicity": "month", "direction": direction}
        if template == "ratio_nd":
            d.update(numerator=f"#{{{a}}}", denominator=f"#{{{refs[1]}}}", factor=factor)
        else:
            d["expression"] = expr
        if template in ("ratio", "ratio_nd", "ytd") and len(indicators) % 5 == 0:
            d["targets"] = [{"unit": "80", "year": 2025, "value": 80}]
        d["_"] = {"template": template, "refs": list(refs), "factor": factor, "constant": constant}
        indicators.append(d)

    left = dict(TEMPLATE_COUNTS)
    for code, name, name_en, template, refs, factor in RULE_INDICATORS:
        measure = {"percap": "hồ sơ/1.000 dân", "growth": "%"}.get(template, "%")
        ind(template, refs, factor, name, name_en, PUBLIC_SECTOR[0], measure, code=code)
        left[template] -= 1
    by_code = {e["code"]: e for e in elements}

    def label(e):
        return e["name"], e["name_en"]

    # Singles: every rule element, then round-robin over the kinds.
    for code, *_ in RULES:
        e = by_code[code]
        ind("single", [code], 1, e["name"], e["name_en"], PUBLIC_SECTOR[0], e["measure"])
        left["single"] -= 1
    pools = [[e for fam in families[k] for e in fam] for k, *_ in KINDS]
    i = 0
    while left["single"] > 0:
        pool = pools[i % len(pools)]
        e = pool[(i // len(pools)) % len(pool)]
        i += 1
        if any(x["_"]["refs"] == [e["code"]] and x["_"]["template"] == "single" for x in indicators[-40:]):
            continue
        n, ne = label(e)
        ind("single", [e["code"]], 1, n, ne, e["sector"], e["measure"])
        left["single"] -= 1

    # Ratios: a part over its total (communes, province, agencies, quarterly).
    ratio_pairs = []
    for k in ("cflow", "pflow", "aflow", "cquarter"):
        for fam in families[k]:
            for part in fam[1:]:
                ratio_pairs.append((part, fam[0]))
    rr = random.Random(f"{seed}:ratios")
    rr.shuffle(ratio_pairs)
    pi = 0
    for template in ("ratio", "ratio_nd"):
        while left[template] > 0:
            p, t = ratio_pairs[pi % len(ratio_pairs)]
            pi += 1
            ind(template, [p["code"], t["code"]], 100, f"Tỷ lệ {p['name']} trên tổng",
                f"Share: {p['name_en']} of the total", p["sector"], "%")
            left[template] -= 1
    # Per capita: totals of communes' and the province's flows, quarterly ones.
    totals = [fam[0] for k in ("cflow", "pflow", "cquarter") for fam in families[k]]
    parts = [e for k in ("cflow", "pflow") for fam in families[k] for e in fam[1:]]
    percap_pool = totals + parts
    j = 0
    while left["percap"] > 0:
        e = percap_pool[j % len(percap_pool)]
        factor = 1000 if j % 3 else 100000
        j += 1
        ind("percap", [e["code"]], factor, f"{e['name']} trên {factor:,} dân".replace(",", "."),
            f"{e['name_en']} per {factor:,} people", e["sector"], f"{e['measure']}/{factor} dân")
        left["percap"] -= 1
    # Growth on the same period a year before: flows, stocks, agencies', quarterly.
    growth_pool = (totals + [fam[0] for fam in families["aflow"]] +
                   [fam[0] for fam in families["pstock"]] + [fam[0] for fam in families["cstock"]] +
                   parts)
    j = 0
    while left["growth"] > 0:
        e = growth_pool[j % len(growth_pool)]
        j += 1
        ind("growth", [e["code"]], 100, f"Tăng trưởng {e['name']} so với cùng kỳ",
            f"{e['name_en']}, change on a year before", e["sector"], "%")
        left["growth"] -= 1
    # Year-to-date ratios: monthly parts over their totals.
    ytd_pairs = [(p, t) for (p, t) in ratio_pairs if p["periodicity"] == "month"]
    j = 0
    while left["ytd"] > 0:
        p, t = ytd_pairs[(j * 7) % len(ytd_pairs)]
        j += 1
        ind("ytd", [p["code"], t["code"]], 100, f"Tỷ lệ lũy kế năm {p['name']}",
            f"Year to date share: {p['name_en']}", p["sector"], "%")
        left["ytd"] -= 1
    # Two parts over their total.
    fams = [fam for k in ("cflow", "pflow") for fam in families[k] if len(fam) >= 3]
    j = 0
    while left["sumshare"] > 0:
        fam = fams[(j * 5) % len(fams)]
        j += 1
        ind("sumshare", [fam[1]["code"], fam[2]["code"], fam[0]["code"]], 100,
            f"Tỷ lệ hai thành phần của {fam[0]['name']}", f"Two parts of {fam[0]['name_en']}",
            fam[0]["sector"], "%")
        left["sumshare"] -= 1
    # Against a constant (a monthly plan).
    j = 0
    while left["const"] > 0:
        e = [fam[0] for fam in families["pflow"]][j * 3 % len(families["pflow"])]
        k = CONSTANTS[j % 3][0]
        j += 1
        ind("const", [e["code"]], 100, f"{e['name']} so với kế hoạch", f"{e['name_en']} against plan",
            e["sector"], "%", constant=k)
        left["const"] -= 1
    assert len(indicators) == N_INDICATORS, len(indicators)
    assert len(elements) == 1200, len(elements)
    return elements, indicators


def index_json(elements, indicators):
    sectors = [{"code": c, "name": n, "name_en": ne} for c, n, ne, *_ in SECTORS]
    sectors.append({"code": PUBLIC_SECTOR[0], "name": PUBLIC_SECTOR[1], "name_en": PUBLIC_SECTOR[2]})
    strip = lambda d: {k: v for k, v in d.items() if k != "_"}  # noqa: E731
    return {
        "sectors": sectors,
        "elements": [strip(e) for e in elements],
        "indicators": [strip(i) for i in indicators],
        "constants": [{"code": c, "name": n, "value": v} for c, n, v in CONSTANTS],
    }


# --- Reported values -------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, int):
        return str(v)
    return repr(v)


def generate_values(elements, province, communes, agencies, seed, out_dir):
    """Writes values-NN.csv; returns the files and the number of values."""
    files = []
    count = 0
    buf = []
    months = [(y, m) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
    quarters = [(y, q) for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    pop = {u["code"]: float(u.get("population") or 0) for u in communes}
    ppop = float(province.get("population") or sum(pop.values()))

    def flush(final=False):
        nonlocal buf
        while len(buf) >= VALUES_PER_FILE or (final and buf):
            chunk, buf = buf[:VALUES_PER_FILE], buf[VALUES_PER_FILE:]
            path = os.path.join(out_dir, f"values-{len(files) + 1:02d}.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("element,option,unit,period,value\n")
                f.write("".join(chunk))
            files.append(path)

    totals = {}  # (family kind, family no, unit, period) -> total value (for parts)
    for e in elements:
        g = e["_"]
        kind = g["kind"]
        if kind == "rule":
            continue
        rng = random.Random(f"{seed}:values:{e['code']}")
        code = e["code"]
        if "share" not in g:
            totals.clear()  # a family's parts follow its total
        if kind in ("cflow", "cstock", "crate", "cmin", "cmax", "cquarter"):
            reporters = [(u["code"], pop[u["code"]]) for u in communes]
        elif kind == "aflow":
            reporters = [(u["code"], 1000.0 * (1 + (i * 37) % 11)) for i, u in enumerate(agencies)]
        else:
            reporters = [(province["code"], ppop)]
        periods = ([(f"{y}Q{q}", y, q * 3 - 1) for y, q in quarters] if kind == "cquarter" else
                   [(f"{y}", y, 6) for y in range(FIRST_YEAR, LAST_YEAR + 1)] if kind == "pyear" else
                   [(month_id(y, m), y, m) for y, m in months])
        for ucode, p in reporters:
            if len(reporters) > 1 and rng.random() >= g["coverage"]:
                continue  # this unit never reports the element
            ulevel = rng.uniform(0.7, 1.3)
            for pid, y, m in periods:
                if rng.random() < g["missing"]:
                    continue
                trend = (1 + g["growth"]) ** (y - FIRST_YEAR + (m - 1) / 12)
                noise = math.exp(rng.gauss(0, g["noise"]))
                if kind in ("cflow", "pflow", "aflow", "cquarter", "pyear"):
                    fkey = (kind, g["family"], ucode, pid)
                    if "share" in g:
                        t = totals.get(fkey)
                        if t is None:
                            continue
                        v = min(t, int(round(t * g["share"] * noise)))
                    else:
                        scale = {"cquarter": 3, "pyear": 12}.get(kind, 1)
                        season = SEASON[m - 1] if kind in ("cflow", "pflow", "aflow") else 1.0
                        v = int(round(p / 1000.0 * g["rate"] * scale * season * trend * noise * ulevel))
                        totals[fkey] = v
                elif kind in ("cstock", "pstock", "pnone"):
                    v = int(round(p / 1000.0 * g["rate"] * 3 * trend * ulevel * math.exp(rng.gauss(0, 0.01))))
                elif kind == "crate":
                    v = round(min(100.0, g["level"] * ulevel ** 0.2 * trend ** 0.3 + rng.gauss(0, 3)), 2)
                else:  # cmin, cmax: a measurement with one decimal
                    v = round(max(0.0, g["level"] * 2 * SEASON[m - 1] * noise * ulevel), 1)
                buf.append(f"{code},,{ucode},{pid},{fmt(v)}\n")
                count += 1
            if len(buf) >= VALUES_PER_FILE:
                flush()
    flush(final=True)
    return files, count


# --- Records ---------------------------------------------------------------------------------

FB_CHANNELS = [("app", 0.42), ("hotline", 0.7), ("web", 0.82), ("zalo", 0.93), ("email", 0.97),
               ("direct", 1.0)]
FB_CATEGORIES = ["traffic", "environment", "urban_order", "land", "construction", "public_service",
                 "security", "health", "other"]
FB_TEXTS = ["Đèn tín hiệu giao thông hỏng tại ngã tư", "Rác thải tồn đọng ven đường",
            "Lấn chiếm vỉa hè buôn bán", "Tranh chấp ranh giới đất", "Công trình xây dựng không phép",
            "Hồ sơ trễ hẹn chưa được trả kết quả", "Tụ tập gây mất trật tự ban đêm",
            "Trạm y tế đóng cửa giờ hành chính", "Đề nghị sửa chữa đường nông thôn"]


def generate_feedback(path, n, communes, agencies, seed):
    rng = random.Random(f"{seed}:feedback")
    r = rng.random
    codes = [u["code"] for u in communes]
    weights = []
    acc = 0.0
    for u in communes:
        acc += float(u.get("population") or 1)
        weights.append(acc)
    weights = [w / acc for w in weights]
    agency_codes = [u["code"] for u in agencies] or codes
    start = dt.datetime.fromisoformat(RECORD_START)
    span_min = RECORD_DAYS * 1440
    ch_codes = [c for c, _ in FB_CHANNELS]
    ch_cum = [c for _, c in FB_CHANNELS]
    sat = ["very_satisfied", "satisfied", "neutral", "dissatisfied"]
    sat_cum = [0.35, 0.8, 0.92, 1.0]
    fmt_t = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S")  # noqa: E731
    times = sorted(int(r() * span_min) for _ in range(n))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["feedback_id", "channel", "category", "location_unit", "assigned_unit",
                    "received_at", "deadline_at", "resolved_at", "result", "satisfaction", "content"])
        for i, minute in enumerate(times):
            rec = start + dt.timedelta(minutes=minute, seconds=int(r() * 60))
            loc = codes[min(len(codes) - 1, bisect.bisect_left(weights, r()))]
            assigned = loc if r() < 0.6 else agency_codes[int(r() * len(agency_codes))]
            deadline = rec + dt.timedelta(days=10)
            x = r()
            result = "resolved" if x < 0.8 else "in_progress" if x < 0.9 else \
                "transferred" if x < 0.96 else "rejected"
            resolved = ""
            satisfaction = ""
            if result == "resolved":
                resolved = fmt_t(rec + dt.timedelta(minutes=int(60 + r() * 14 * 1440)))
                if r() < 0.6:
                    satisfaction = sat[bisect.bisect_left(sat_cum, r())]
            w.writerow([f"PA80-{rec:%y%m%d}-{i + 1:06d}",
                        ch_codes[bisect.bisect_left(ch_cum, r())],
                        FB_CATEGORIES[int(r() * len(FB_CATEGORIES))], loc, assigned, fmt_t(rec),
                        fmt_t(deadline), resolved, result, satisfaction,
                        FB_TEXTS[int(r() * len(FB_TEXTS))]])


def run_gen_dossiers(units_path, rows, seed, start, days, out):
    cmd = [sys.executable, os.path.join(HERE, "gen_dossiers.py"), "--rows", str(rows), "--seed",
           str(seed), "--units", units_path, "--start", start, "--days", str(days), "--out", out]
    with open(out + ".stats", "w", encoding="utf-8") as err:
        subprocess.run(cmd, check=True, stderr=err)


def generate_latency(units_path, rows, seed, out_dir):
    """New dossiers for the latency runs (DIR/latency.csv): December 2025, ids that the main
    file does not have (LAT... instead of DVC...)."""
    if not rows:
        return
    tmp = os.path.join(out_dir, "latency-raw.csv")
    run_gen_dossiers(units_path, rows, seed + 1, "2025-12-01", 31, tmp)
    with open(tmp, encoding="utf-8") as src, open(os.path.join(out_dir, "latency.csv"), "w",
                                                   encoding="utf-8", newline="") as dst:
        dst.write(next(src))
        for line in src:
            dst.write("LAT" + line[3:] if line.startswith("DVC") else line)
    os.remove(tmp)


# --- SQL -------------------------------------------------------------------------------------

class Dialect:
    def __init__(self, name):
        self.name = name
        self.pg = name == "pg"
        self.real = "DOUBLE PRECISION" if self.pg else "REAL"
        self.scratch = "UNLOGGED TABLE" if self.pg else "TABLE"

    def num(self, v):
        return f"CAST({float(v)!r} AS {self.real})"

    def analyze(self, table):
        return f"ANALYZE {table};" if self.pg else ""


DOSSIER_COLUMNS = [  # gen_dossiers.FIELDS, typed for both databases
    ("dossier_id", "TEXT"), ("receiving_unit", "TEXT"), ("procedure_code", "TEXT"),
    ("procedure_name", "TEXT"), ("locality_free", "TEXT"), ("received_at", "TEXT"),
    ("channel", "TEXT"), ("full_online_eligible", "TEXT"), ("full_online", "TEXT"), ("fee", "REAL"),
    ("paid_online", "TEXT"), ("digitized", "TEXT"), ("due_at", "TEXT"), ("completed_at", "TEXT"),
    ("status", "TEXT"), ("satisfaction", "TEXT"), ("applicant_id", "TEXT"), ("applicant_name", "TEXT"),
]
FEEDBACK_COLUMNS = [(c, "TEXT") for c in (
    "feedback_id", "channel", "category", "location_unit", "assigned_unit", "received_at",
    "deadline_at", "resolved_at", "result", "satisfaction", "content")]
DATASETS = {
    D: ("dossiers", DOSSIER_COLUMNS, "receiving_unit", "received_at"),
    F: ("feedback", FEEDBACK_COLUMNS, "location_unit", "received_at"),
}


def sql_filter(f):
    col = f"d.{f['field']}"
    op = f["op"]
    if op == "null":
        return f"{col} IS NULL"
    if op == "not_null":
        return f"{col} IS NOT NULL"
    if op in ("<=", "<"):
        return f"{col} {op} d.{f['other']}"
    numeric = f["field"] == "fee"
    vals = ", ".join(v if numeric else "'" + v.replace("'", "''") + "'" for v in f["values"])
    if op == "=":
        return f"{col} IN ({vals})"
    return f"{col} IS NOT NULL AND {col} NOT IN ({vals})"


def rule_aggregate(rule):
    cond = " AND ".join(f"({sql_filter(f)})" for f in rule.get("filters", []))
    flt = f" FILTER (WHERE {cond})" if cond else ""
    op = rule["op"]
    if op == "count":
        return f"COUNT(*){flt}"
    field = f"d.{rule['field']}"
    if op == "sum":
        return f"COALESCE(SUM({field}){flt}, 0)"
    if op == "average":
        return f"AVG({field}){flt}"
    return f"COUNT(DISTINCT {field}){flt}"


def indicator_select(d, ind_id, ind, el_id):
    """The SELECT of one indicator's values: its formula over the rolled-up elements (ev) at every
    period, in the order the engine evaluates it; null results (a missing input, a division by
    zero) are left out, as pdh's dump leaves them out."""
    g = ind["_"]
    t = g["template"]
    refs = [el_id[r] for r in g["refs"]]
    f = g["factor"]

    def at(alias, elem, period_expr):
        return (f"JOIN ev {alias} ON {alias}.element = {elem} AND {alias}.unit = a.unit "
                f"AND {alias}.period = {period_expr}")

    if t == "single":
        return (f"SELECT {ind_id} AS indicator, a.unit, a.period, a.value FROM ev a "
                f"WHERE a.element = {refs[0]}")
    if t in ("ratio", "ratio_nd"):
        body = (f"SELECT a.unit, a.period, a.value / NULLIF(b.value, 0) * {f} AS v FROM ev a "
                f"{at('b', refs[1], 'a.period')} WHERE a.element = {refs[0]}")
    elif t == "percap":
        body = (f"SELECT a.unit, a.period, a.value / NULLIF(u.population, 0) * {f} AS v FROM ev a "
                f"JOIN unit u ON u.id = a.unit WHERE a.element = {refs[0]}")
    elif t == "growth":
        body = (f"SELECT a.unit, a.period, (a.value - b.value) / NULLIF(b.value, 0) * {f} AS v "
                f"FROM ev a JOIN period p ON p.id = a.period {at('b', refs[0], 'p.m12')} "
                f"WHERE a.element = {refs[0]}")
    elif t == "ytd":
        body = (f"SELECT a.unit, p.id AS period, a.value / NULLIF(b.value, 0) * {f} AS v "
                f"FROM ev a JOIN period p ON p.ytd = a.period {at('b', refs[1], 'a.period')} "
                f"WHERE a.element = {refs[0]}")
    elif t == "sumshare":
        body = (f"SELECT a.unit, a.period, (a.value + b.value) / NULLIF(c.value, 0) * {f} AS v "
                f"FROM ev a {at('b', refs[1], 'a.period')} {at('c', refs[2], 'a.period')} "
                f"WHERE a.element = {refs[0]}")
    elif t == "const":
        k = next(v for c, _, v in CONSTANTS if c == g["constant"])
        body = (f"SELECT a.unit, a.period, a.value / NULLIF({d.num(k)}, 0) * {f} AS v FROM ev a "
                f"WHERE a.element = {refs[0]}")
    else:
        raise ValueError(t)
    return f"SELECT {ind_id} AS indicator, x.unit, x.period, x.v AS value FROM ({body}) x WHERE x.v IS NOT NULL"


def write_sql(d, out, ref_dir, elements, indicators, value_files, dossiers_csv, feedback_csv):
    R = d.real
    el_id = {e["code"]: i + 1 for i, e in enumerate(elements)}
    schema = [
        f"CREATE TABLE unit (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, parent_id INTEGER, population {R});",
        "CREATE TABLE tree (anc INTEGER NOT NULL, unit INTEGER NOT NULL, PRIMARY KEY (anc, unit));",
        "CREATE TABLE src (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);",
        f"CREATE TABLE src_map (src INTEGER NOT NULL, pre INTEGER NOT NULL, unit INTEGER NOT NULL, "
        f"weight {R} NOT NULL, own INTEGER NOT NULL, PRIMARY KEY (src, pre, unit));",
        "CREATE TABLE element (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, unit_agg TEXT NOT NULL, "
        "time_agg TEXT NOT NULL, periodicity TEXT NOT NULL);",
        "CREATE TABLE indicator (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);",
        "CREATE TABLE period (id INTEGER PRIMARY KEY, pid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, "
        "year INTEGER NOT NULL, n INTEGER NOT NULL, pre INTEGER NOT NULL, m12 INTEGER, ytd INTEGER, "
        "qid INTEGER, yid INTEGER);",
        f"CREATE TABLE value_raw (element TEXT, option TEXT, unit TEXT, period TEXT, value {R});",
        f"CREATE TABLE val (element INTEGER NOT NULL, src INTEGER NOT NULL, period INTEGER NOT NULL, "
        f"value {R} NOT NULL, PRIMARY KEY (element, src, period));",
    ]
    for table, cols, _, _ in DATASETS.values():
        coldefs = ", ".join(f"{c} {R if t == 'REAL' else t}" for c, t in cols)
        schema.append(f"CREATE TABLE {table} ({coldefs}, PRIMARY KEY ({cols[0][0]}));")
    with open(os.path.join(out, f"{d.name}_schema.sql"), "w", encoding="utf-8") as f:
        f.write("\n".join(schema) + "\n")

    # Loading (not timed).
    def copy(table, path, header=True):
        if d.pg:
            return f"\\copy {table} FROM '{path}' WITH (FORMAT csv{', HEADER true' if header else ''})"
        return f".import --csv {'--skip 1 ' if header else ''}{path} {table}"

    load = []
    if not d.pg:
        load += ["PRAGMA journal_mode=WAL;", "PRAGMA synchronous=OFF;"]
    for t in ("unit", "tree", "src", "src_map", "element", "indicator", "period"):
        load.append(copy(t, os.path.join(ref_dir, f"{t}.csv")))
    for p in value_files:
        load.append(copy("value_raw", p))
    load.append(copy("dossiers", dossiers_csv))
    load.append(copy("feedback", feedback_csv))
    if not d.pg:
        # .import keeps empty fields as '' where PostgreSQL's CSV reads NULL.
        load.append("UPDATE unit SET parent_id = NULL WHERE parent_id = '';")
        load.append("UPDATE unit SET population = NULL WHERE population = '';")
        for col in ("m12", "ytd", "qid", "yid"):
            load.append(f"UPDATE period SET {col} = NULL WHERE {col} = '';")
        for table, cols, _, _ in DATASETS.values():
            sets = ", ".join(f"{c} = NULLIF({c}, '')" for c, _ in cols[1:])
            load.append(f"UPDATE {table} SET {sets};")
    load.append("INSERT INTO val SELECT e.id, s.id, p.id, r.value FROM value_raw r "
                "JOIN element e ON e.code = r.element JOIN src s ON s.code = r.unit "
                "JOIN period p ON p.pid = r.period;")
    load.append("DROP TABLE value_raw;")
    load.append("VACUUM ANALYZE;" if d.pg else "VACUUM; ANALYZE;")
    with open(os.path.join(out, f"{d.name}_load.sql"), "w", encoding="utf-8") as f:
        f.write("\n".join(load) + "\n")

    # The computation (timed): rules, own series, time roll-ups, unit roll-up, indicators. Each
    # step is one CREATE TABLE ... AS SELECT (which PostgreSQL may run in parallel, unlike INSERT
    # ... SELECT; its scratch tables are unlogged), with an index where SQLite would scan.
    c = []
    if not d.pg:
        c += ["PRAGMA synchronous=OFF;", "PRAGMA temp_store=MEMORY;", "PRAGMA cache_size=-4000000;"]
    c += [f"DROP TABLE IF EXISTS {t};" for t in
          ("result", "ev", "eown", "tw", "grid", "leaf", "rule_dossiers", "rule_feedback")]
    c.append("BEGIN;")
    # 1. Rule elements: one pass over each dataset, grouped by the record's unit and month.
    for ds, (table, _, unit_col, date_col) in DATASETS.items():
        rules = [e for e in elements if e["rule"] and e["rule"]["dataset"] == ds]
        cols = ",\n  ".join(f"{rule_aggregate(e['rule'])} AS r{el_id[e['code']]}" for e in rules)
        c.append(f"CREATE {d.scratch} rule_{table} AS\nSELECT u.id AS unit, p.id AS period,\n  {cols}\n"
                 f"FROM {table} d JOIN unit u ON u.code = d.{unit_col} "
                 f"JOIN period p ON p.pid = substr(d.{date_col}, 1, 7)\nGROUP BY u.id, p.id;")
    # 2. Each current unit's own series at the element's native periods: reported values through
    # the crosswalk (an old commune's to its successors by their shares; for elements that are
    # not summed, the unit's own value first, else the shares' weighted mean), and the rules'.
    branches = [
        f"SELECT v.element, m.unit, v.period,\n"
        f"  CAST(CASE WHEN e.unit_agg = 'sum' THEN SUM(v.value * m.weight)\n"
        f"       ELSE COALESCE(MAX(CASE WHEN m.own = 1 THEN v.value END),\n"
        f"                     SUM(CASE WHEN m.own = 0 THEN v.value * m.weight END) /\n"
        f"                     SUM(CASE WHEN m.own = 0 THEN m.weight END)) END AS {R}) AS value\n"
        f"FROM val v JOIN period p ON p.id = v.period\n"
        f"  JOIN src_map m ON m.src = v.src AND m.pre = p.pre\n"
        f"  JOIN element e ON e.id = v.element\n"
        f"GROUP BY v.element, m.unit, v.period, e.unit_agg"]
    for ds, (table, _, _, _) in DATASETS.items():
        for e in elements:
            if e["rule"] and e["rule"]["dataset"] == ds:
                i = el_id[e["code"]]
                branches.append(f"SELECT {i}, unit, period, CAST(r{i} AS {R}) FROM rule_{table}")
    c.append(f"CREATE {d.scratch} leaf AS\nSELECT * FROM (\n" + "\nUNION ALL\n".join(branches) +
             "\n) x WHERE x.value IS NOT NULL;")
    c.append(d.analyze("leaf") if d.pg else "CREATE INDEX leaf_key ON leaf (element, unit, period);")
    # 3. Time: for monthly elements, every month of each year that has one, with the running
    # sum, count and latest month with a value (years-to-date, and the year at December).
    c.append(f"CREATE {d.scratch} grid AS\n"
             "SELECT g.element, g.unit, p.year, p.n, p.id AS period, p.ytd, p.qid, p.yid, l.value\n"
             "FROM (SELECT DISTINCT l.element, l.unit, p.year FROM leaf l JOIN period p ON p.id = l.period\n"
             "      WHERE p.kind = 'month') g\n"
             "JOIN period p ON p.kind = 'month' AND p.year = g.year\n"
             "LEFT JOIN leaf l ON l.element = g.element AND l.unit = g.unit AND l.period = p.id;")
    c.append(f"CREATE {d.scratch} tw AS\n"
             "SELECT element, unit, year, n, ytd, qid, yid, value,\n"
             "  SUM(value) OVER w AS ysum, COUNT(value) OVER w AS ycnt,\n"
             "  MAX(CASE WHEN value IS NOT NULL THEN n END) OVER w AS ylast\n"
             "FROM grid WINDOW w AS (PARTITION BY element, unit, year ORDER BY n ROWS UNBOUNDED PRECEDING);")
    c.append(d.analyze("tw") if d.pg else "CREATE INDEX tw_key ON tw (element, unit, year, n);")
    run = f"CAST(CASE WHEN e.time_agg = 'sum' THEN t.ysum ELSE t.ysum / t.ycnt END AS {R})"
    last = ("FROM tw t JOIN element e ON e.id = t.element\n"
            "  JOIN tw s ON s.element = t.element AND s.unit = t.unit AND s.year = t.year AND s.n = t.ylast\n"
            "WHERE e.time_agg = 'last'")
    c.append(
        f"CREATE {d.scratch} eown AS\n"
        "SELECT element, unit, period, value FROM leaf\n"
        "UNION ALL -- quarters of monthly elements (sum, average)\n"
        f"SELECT l.element, l.unit, p.qid, CAST(CASE WHEN e.time_agg = 'sum' THEN SUM(l.value) ELSE AVG(l.value) END AS {R})\n"
        "FROM leaf l JOIN period p ON p.id = l.period JOIN element e ON e.id = l.element\n"
        "WHERE p.kind = 'month' AND e.time_agg <> 'last'\nGROUP BY l.element, l.unit, p.qid, e.time_agg\n"
        "UNION ALL -- years-to-date (sum, average)\n"
        f"SELECT t.element, t.unit, t.ytd, {run}\n"
        "FROM tw t JOIN element e ON e.id = t.element WHERE t.ycnt > 0 AND e.time_agg <> 'last'\n"
        "UNION ALL -- years (sum, average)\n"
        f"SELECT t.element, t.unit, t.yid, {run}\n"
        "FROM tw t JOIN element e ON e.id = t.element WHERE t.n = 12 AND t.ycnt > 0 AND e.time_agg <> 'last'\n"
        "UNION ALL -- last: the latest month with a value, in the year to date, the year, the quarter\n"
        f"SELECT t.element, t.unit, t.ytd, s.value\n{last}\n"
        "UNION ALL\n"
        f"SELECT t.element, t.unit, t.yid, s.value\n{last} AND t.n = 12\n"
        "UNION ALL\n"
        f"SELECT t.element, t.unit, t.qid, s.value\n{last} AND t.n % 3 = 0 AND t.ylast > t.n - 3\n"
        "UNION ALL -- years of quarterly elements\n"
        f"SELECT element, unit, yid, CAST(CASE WHEN time_agg = 'sum' THEN SUM(value)\n"
        "  WHEN time_agg = 'average' THEN AVG(value) ELSE MAX(CASE WHEN rn = 1 THEN value END) END AS "
        f"{R})\n"
        "FROM (SELECT l.element, l.unit, p.yid, e.time_agg, l.value,\n"
        "        ROW_NUMBER() OVER (PARTITION BY l.element, l.unit, p.yid ORDER BY p.n DESC) AS rn\n"
        "      FROM leaf l JOIN period p ON p.id = l.period JOIN element e ON e.id = l.element\n"
        "      WHERE p.kind = 'quarter') q\n"
        "GROUP BY element, unit, yid, time_agg;")
    c.append(d.analyze("eown"))
    # 4. Up the unit tree: a unit without children keeps its own series; a parent aggregates
    # its own and its children's at each period (none: its own only).
    c.append(
        f"CREATE {d.scratch} ev AS\n"
        "SELECT o.element, o.unit, o.period, o.value FROM eown o\n"
        "WHERE NOT EXISTS (SELECT 1 FROM unit k WHERE k.parent_id = o.unit)\n"
        "UNION ALL\n"
        "SELECT o.element, t.anc, o.period,\n"
        "  CAST(CASE e.unit_agg WHEN 'sum' THEN SUM(o.value) WHEN 'average' THEN AVG(o.value)\n"
        f"                  WHEN 'min' THEN MIN(o.value) ELSE MAX(o.value) END AS {R})\n"
        "FROM eown o JOIN tree t ON t.unit = o.unit JOIN element e ON e.id = o.element\n"
        "WHERE t.anc IN (SELECT parent_id FROM unit WHERE parent_id IS NOT NULL)\n"
        "  AND (e.unit_agg <> 'none' OR t.anc = o.unit)\n"
        "GROUP BY o.element, t.anc, o.period, e.unit_agg;")
    c.append("CREATE UNIQUE INDEX ev_key ON ev (element, unit, period);")
    c.append(d.analyze("ev"))
    # 5. Every indicator's formula at every unit and period, one INSERT each.
    c.append(f"CREATE TABLE result (indicator INTEGER NOT NULL, unit INTEGER NOT NULL, "
             f"period INTEGER NOT NULL, value {R} NOT NULL);")
    c += [f"INSERT INTO result\n{indicator_select(d, i + 1, ind, el_id)};" for i, ind in enumerate(indicators)]
    c.append("COMMIT;")
    with open(os.path.join(out, f"{d.name}_compute.sql"), "w", encoding="utf-8") as f:
        f.write("\n".join(x for x in c if x) + "\n")

    # Export (not timed): indicator,unit,period,value with every digit of the double.
    q = ("SELECT i.code, u.code, p.pid, {v} FROM result r JOIN indicator i ON i.id = r.indicator "
         "JOIN unit u ON u.id = r.unit JOIN period p ON p.id = r.period")
    with open(os.path.join(out, f"{d.name}_export.sql"), "w", encoding="utf-8") as f:
        if d.pg:
            # PostgreSQL 12+ prints the shortest text that reads back as the same double.
            f.write("SET extra_float_digits = 1;\n\\copy (" + q.format(v="r.value") +
                    ") TO STDOUT WITH (FORMAT csv)\n")
        else:
            f.write(".mode list\n.separator ,\n" + q.format(v="printf('%.17g', r.value)") + ";\n")


def write_ref(ref_dir, units, mapping, elements, indicators, periods):
    os.makedirs(ref_dir, exist_ok=True)
    uid = {u["code"]: i + 1 for i, u in enumerate(units)}

    def put(name, header, rows):
        with open(os.path.join(ref_dir, f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    put("unit", ["id", "code", "parent_id", "population"],
        [(uid[u["code"]], u["code"], uid.get(u.get("parent") or "", ""),
          "" if u.get("population") is None else u["population"]) for u in units])
    tree = [(uid[u["code"]], uid[u["code"]]) for u in units]
    tree += [(uid[u["parent"]], uid[u["code"]]) for u in units[1:]]
    put("tree", ["anc", "unit"], sorted(tree))
    srcs = sorted({code for code, _ in mapping})
    sid = {c: i + 1 for i, c in enumerate(srcs)}
    put("src", ["id", "code"], [(sid[c], c) for c in srcs])
    rows = []
    for (code, pre), targets in sorted(mapping.items()):
        for unit, weight, own in targets:
            rows.append((sid[code], pre, uid[unit], repr(float(weight)), own))
    put("src_map", ["src", "pre", "unit", "weight", "own"], rows)
    put("element", ["id", "code", "unit_agg", "time_agg", "periodicity"],
        [(i + 1, e["code"], e["aggregation"], e["time_aggregation"], e["periodicity"])
         for i, e in enumerate(elements)])
    put("indicator", ["id", "code"], [(i + 1, x["code"]) for i, x in enumerate(indicators)])
    put("period", ["id", "pid", "kind", "year", "n", "pre", "m12", "ytd", "qid", "yid"], periods.table())


# --- Main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", required=True)
    ap.add_argument("--province", required=True)
    ap.add_argument("--old-units", required=True)
    ap.add_argument("--successions", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--dossiers", type=int, default=2_000_000)
    ap.add_argument("--feedback", type=int, default=100_000)
    ap.add_argument("--latency-batches", type=int, default=200)
    ap.add_argument("--latency-size", type=int, default=1000)
    ap.add_argument("--today", default=dt.date.today().isoformat())
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    stats = {}

    units, province, communes, agencies = load_units(a)
    mapping = crosswalk(a, units, a.today)
    stats["units"] = len(units)
    stats["split_codes"] = sorted(c for (c, pre), t in mapping.items() if pre and len(t) > 1)
    stats["codes_to_old_communes"] = sum(1 for (c, pre), t in mapping.items() if pre and t[0][2] == 0)

    elements, indicators = build_index(a.seed)
    with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index_json(elements, indicators), f, ensure_ascii=False, indent=1)
    stats["elements"] = len(elements)
    stats["rule_elements"] = sum(1 for e in elements if e["rule"])
    stats["indicators"] = len(indicators)
    stats["templates"] = {}
    for i in indicators:
        t = i["_"]["template"]
        stats["templates"][t] = stats["templates"].get(t, 0) + 1

    files, n = generate_values(elements, province, communes, agencies, a.seed, out)
    stats["values"] = n
    stats["value_files"] = [os.path.basename(p) for p in files]

    dossiers_csv = os.path.join(out, "dossiers.csv")
    units_for_dossiers = os.path.join(out, "children.json")
    with open(units_for_dossiers, "w", encoding="utf-8") as f:
        json.dump([u for u in units[1:]], f, ensure_ascii=False)
    run_gen_dossiers(units_for_dossiers, a.dossiers, a.seed, RECORD_START, RECORD_DAYS, dossiers_csv)
    stats["dossiers"] = a.dossiers
    feedback_csv = os.path.join(out, "feedback.csv")
    generate_feedback(feedback_csv, a.feedback, communes, agencies, a.seed)
    stats["feedback"] = a.feedback

    lat = a.latency_batches * a.latency_size
    generate_latency(units_for_dossiers, lat, a.seed, out)
    stats["latency_dossiers"] = lat

    years_to = max(LAST_YEAR, int(a.today[:4]))
    periods = Periods(FIRST_YEAR, years_to)
    ref_dir = os.path.join(out, "sql", "ref")
    write_ref(ref_dir, units, mapping, elements, indicators, periods)
    for name in ("pg", "sqlite"):
        write_sql(Dialect(name), os.path.join(out, "sql"), ref_dir, elements, indicators, files,
                  dossiers_csv, feedback_csv)
    stats["periods"] = len(periods.rows)
    with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, ensure_ascii=False, indent=1)
    json.dump(stats, sys.stderr, ensure_ascii=False)
    sys.stderr.write("\n")


if __name__ == "__main__":
    main()
