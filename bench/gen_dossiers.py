#!/usr/bin/env python3
"""Deterministic CSV of administrative-procedure dossiers (the `dossiers` template) for
bench/ingest.sh: one province-year, the same bytes for the same arguments.

Usage:
  gen_dossiers.py --rows N --units UNITS.json --old-codes OLD.txt --out FILE [--seed S]
                  [--start 2025-07-01] [--days 365] [--old-share 0.03]
  gen_dossiers.py --create-table NAME     # the equivalent SQL table (sqlite3 and pandas runs)

UNITS.json is `pdh units ls --parent P --json` (communes and agencies of the province);
OLD.txt has one pre-2025 commune code per line, each merged whole into one new commune of the
province (so the crosswalk resolves it without ambiguity). Communes receive dossiers in
proportion to their population, agencies a fixed share; rows come in order of reception day.
A summary (rows, old-code rows, bytes) is printed on stderr as JSON.
"""
import argparse
import bisect
import csv
import datetime as dt
import json
import random
import sys

# The template's fields in order, with the SQL type of the equivalent table (booleans are
# INTEGER 0/1 in SQLite, datetimes TEXT, numbers REAL).
FIELDS = [
    ("dossier_id", "TEXT"),
    ("receiving_unit", "TEXT"),
    ("procedure_code", "TEXT"),
    ("procedure_name", "TEXT"),
    ("locality_free", "INTEGER"),
    ("received_at", "TEXT"),
    ("channel", "TEXT"),
    ("full_online_eligible", "INTEGER"),
    ("full_online", "INTEGER"),
    ("fee", "REAL"),
    ("paid_online", "INTEGER"),
    ("digitized", "INTEGER"),
    ("due_at", "TEXT"),
    ("completed_at", "TEXT"),
    ("status", "TEXT"),
    ("satisfaction", "TEXT"),
    ("applicant_id", "TEXT"),
    ("applicant_name", "TEXT"),
]
PRIMARY_KEY = "dossier_id"


def create_table_sql(name):
    cols = ",\n".join(f"  {n} {t}" for n, t in FIELDS)
    return f"CREATE TABLE {name} (\n{cols},\n  PRIMARY KEY ({PRIMARY_KEY})\n);"


# (code, name, fee in đồng, processing time in working days, eligible for full online,
#  may be received regardless of the applicant's residence)
COMMUNE_PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", 0, 1, True, True),
    ("1.000894", "Đăng ký kết hôn", 0, 3, True, True),
    ("1.000656", "Đăng ký khai tử", 0, 1, True, True),
    ("2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 4000, 1, True, True),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", 10000, 1, False, True),
    ("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 50000, 2, False, False),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", 8000, 1, True, True),
    ("1.004227", "Xác nhận tình trạng hôn nhân", 0, 3, True, True),
    ("1.001612", "Đăng ký thường trú", 20000, 7, True, False),
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", 100000, 3, True, False),
    ("1.009974", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 75000, 15, True, False),
    ("1.004203", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 30000, 10, False, False),
    ("2.000744", "Giải quyết hưởng trợ cấp xã hội hàng tháng", 0, 7, True, False),
    ("1.003005", "Cấp Giấy xác nhận thông tin về cư trú", 0, 1, True, True),
]
AGENCY_PROCEDURES = {
    "80.STP": [("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", 200000, 10, True, True)],
    "80.CAT": [("1.002835", "Đổi giấy phép lái xe do ngành Công an cấp", 135000, 5, True, True),
               ("2.001159", "Cấp hộ chiếu phổ thông", 200000, 8, True, True)],
    "80.SXD": [("1.009973", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", 150000, 20, True, False)],
    "80.STC": [("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", 50000, 3, True, False),
               ("1.005193", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", 50000, 3, True, False)],
    "80.SYT": [("1.012267", "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh", 360000, 20, False, False)],
    "80.SGDDT": [("2.001914", "Chỉnh sửa nội dung văn bằng, chứng chỉ", 0, 5, True, False)],
    "80.SNNMT": [("1.012790", "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu", 100000, 20, False, False)],
    "80.SCT": [("2.000633", "Cấp Giấy phép bán lẻ sản phẩm rượu", 1200000, 10, True, False)],
}
GENERIC_AGENCY_PROCEDURES = [
    ("2.002162", "Cung cấp thông tin, dữ liệu chuyên ngành", 0, 5, True, False),
    ("1.010088", "Giải quyết khiếu nại lần đầu", 0, 30, False, False),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi",
          "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lâm", "Châu"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hoàng", "Thanh", "Hữu", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng"]
GIVEN_M = ["An", "Bình", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quân", "Trí",
           "Tuấn", "Sơn", "Thắng", "Việt", "Đạt", "Lộc", "Nhân"]
GIVEN_F = ["Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Phương", "Tâm", "Thảo",
           "Trang", "Vy", "Yến", "Nhung", "Oanh", "Trâm", "Uyên", "Xuân"]
# Province of birth in the citizen ID (Tây Ninh 072, Long An 080, neighbours), cumulative.
BIRTH_PROVINCES = [("072", 0.45), ("080", 0.85), ("079", 0.92), ("074", 0.95), ("070", 0.97),
                   ("083", 0.98), ("087", 0.99), ("038", 1.0)]
# Days off: Independence Day, New Year, Tết (2026-02-14..22), Hùng Kings, 30/4, 1/5.
HOLIDAYS = {"2025-09-01", "2025-09-02", "2026-01-01", "2026-04-27", "2026-04-30", "2026-05-01"} | {
    f"2026-02-{d:02d}" for d in range(14, 23)}


def cumulative(weights):
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return [c / acc for c in out]


def load_units(path, old_codes, old_share):
    with open(path, encoding="utf-8") as f:
        units = json.load(f)
    communes = [u for u in units if u.get("level") == "commune"]
    agencies = [u for u in units if u.get("level") == "agency"]
    if not communes:
        sys.exit("gen_dossiers: no communes in " + path)
    # Communes by population (median for a missing figure), agencies share 20 % of dossiers.
    pops = sorted(u["population"] for u in communes if u.get("population"))
    median = pops[len(pops) // 2] if pops else 1
    cpop = [u.get("population") or median for u in communes]
    agency_share = 0.20 if agencies else 0.0
    commune_share = 1.0 - agency_share - (old_share if old_codes else 0.0)
    codes, weights, procs = [], [], []
    total = float(sum(cpop))
    for u, p in zip(communes, cpop):
        codes.append(u["code"]); weights.append(commune_share * p / total); procs.append(COMMUNE_PROCEDURES)
    for u in agencies:
        codes.append(u["code"]); weights.append(agency_share / len(agencies))
        procs.append(AGENCY_PROCEDURES.get(u["code"], GENERIC_AGENCY_PROCEDURES))
    for c in old_codes:
        codes.append(c); weights.append(old_share / len(old_codes)); procs.append(COMMUNE_PROCEDURES)
    first_old = len(communes) + len(agencies)
    id_prefix = f"DVC{communes[0].get('parent') or ''}-"
    return codes, cumulative(weights), procs, first_old, id_prefix


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--units")
    ap.add_argument("--old-codes")
    ap.add_argument("--old-share", type=float, default=0.03)
    ap.add_argument("--start", default="2025-07-01")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--out", default="-")
    ap.add_argument("--create-table", metavar="NAME")
    a = ap.parse_args()
    if a.create_table:
        print(create_table_sql(a.create_table))
        return
    if a.rows is None or a.units is None:
        ap.error("--rows and --units are required")

    old_codes = []
    if a.old_codes:
        with open(a.old_codes, encoding="utf-8") as f:
            old_codes = [line.strip() for line in f if line.strip()]
    codes, ucum, uprocs, first_old, id_prefix = load_units(a.units, old_codes, a.old_share)

    rng = random.Random(a.seed)
    r = rng.random
    start = dt.date.fromisoformat(a.start)
    # Dates from the start to 90 days past the year (due and completion dates run over).
    span = a.days + 90
    dates = [start + dt.timedelta(days=i) for i in range(span)]
    iso_days = [d.isoformat() for d in dates]
    day_t = [s + "T" for s in iso_days]
    yymmdd = [d.strftime("%y%m%d") for d in dates]
    hhmm = [f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440)]
    secs = [f"{s:02d}" for s in range(60)]
    # Reception days: weekdays full, Saturday and Sunday less (online), holidays little.
    dweights = []
    for d, s in zip(dates[: a.days], iso_days[: a.days]):
        w = 1.0 if d.weekday() < 5 else (0.35 if d.weekday() == 5 else 0.2)
        if s in HOLIDAYS:
            w = 0.15
        dweights.append(w)
    dcum = cumulative(dweights)
    # Rows per day, in order: the rows whose rank falls inside day d's share.
    bounds = [round(a.rows * c) for c in dcum]
    bounds[-1] = a.rows
    seq_width = max(5, len(str(max(b - p for b, p in zip(bounds, [0] + bounds[:-1])) or 1)))
    # Calendar days for N working days (weekends in between).
    cal_days = lambda n: n + 2 * (n // 5)  # noqa: E731

    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow([n for n, _ in FIELDS])
    sat_codes = ["very_satisfied", "satisfied", "neutral", "dissatisfied"]
    sat_cum = [0.55, 0.93, 0.98, 1.0]
    nfam, nmid, ngiv = len(FAMILY), len(MIDDLE_M), len(GIVEN_M)
    old_rows = 0
    row = 0
    buf = []
    for day in range(a.days):
        end = bounds[day]
        k = 0
        while row < end:
            row += 1
            k += 1
            ui = bisect.bisect_left(ucum, r())
            if ui >= len(codes):
                ui = len(codes) - 1
            if ui >= first_old:
                old_rows += 1
            procs = uprocs[ui]
            pcode, pname, fee, wdays, eligible, anywhere = procs[int(r() * len(procs))]
            # Channel: 99.6 % online; the rest at the counter or by post.
            x = r()
            online = x < 0.996
            channel = "online" if online else ("direct" if x < 0.9996 else "postal")
            # Time of day: office hours mostly; online submissions also in the evening and night.
            if not online or r() < 0.85:
                minute = 450 + int(r() * 600)  # 07:30-17:30
            else:
                minute = int(r() * 1440)
            rec = day * 1440 + minute
            sec = secs[int(r() * 60)]
            due = rec + cal_days(wdays) * 1440
            x = r()
            completed = ""
            if x < 0.90:
                status = "completed"
                if r() < 0.95:
                    done = rec + 30 + int(r() * (due - rec - 30))
                else:
                    done = due + 60 + int(r() * 10 * 1440)
                d, m = divmod(done, 1440)
                if m < 450 or m > 1050:  # finished in office hours
                    m = 450 + m % 600
                    if d * 1440 + m <= rec:
                        d += 1
                completed = day_t[d] + hhmm[m] + sec
            elif x < 0.93:
                status = "returned"
            elif x < 0.94:
                status = "cancelled"
            elif x < 0.985:
                status = "processing"
            else:
                status = "received"
            satisfaction = ""
            if completed and r() < 0.55:
                satisfaction = sat_codes[bisect.bisect_left(sat_cum, r())]
            # Applicant: 12-digit citizen ID (birth province, century and sex, year, serial).
            female = r() < 0.52
            year = 1945 + int(r() * 63)  # 1945-2007
            cs = (0 if year < 2000 else 2) + (1 if female else 0)
            bp = _birth(r())
            applicant_id = f"{bp}{cs}{year % 100:02d}{int(r() * 1000000):06d}"
            if female:
                name = f"{FAMILY[int(r() * nfam)]} {MIDDLE_F[int(r() * nmid)]} {GIVEN_F[int(r() * ngiv)]}"
            else:
                name = f"{FAMILY[int(r() * nfam)]} {MIDDLE_M[int(r() * nmid)]} {GIVEN_M[int(r() * ngiv)]}"
            full = online and eligible and r() < 0.9
            buf.append((
                f"{id_prefix}{yymmdd[day]}-{k:0{seq_width}d}",
                codes[ui],
                pcode,
                pname,
                "true" if anywhere and r() < 0.3 else "false",
                day_t[day] + hhmm[minute] + sec,
                channel,
                "true" if eligible else "false",
                "true" if full else "false",
                fee,
                "true" if fee and online and r() < 0.85 else "false",
                "true" if r() < 0.92 else "false",
                day_t[due // 1440] + hhmm[due % 1440] + sec,
                completed,
                status,
                satisfaction,
                applicant_id,
                name,
            ))
            if len(buf) >= 20000:
                w.writerows(buf)
                buf.clear()
    w.writerows(buf)
    out.flush()
    size = out.tell() if out is not sys.stdout else None
    if out is not sys.stdout:
        out.close()
    json.dump({"rows": row, "old_code_rows": old_rows, "bytes": size, "seed": a.seed,
               "first_day": iso_days[0], "last_day": iso_days[a.days - 1]}, sys.stderr)
    sys.stderr.write("\n")


_BP_CODES = [c for c, _ in BIRTH_PROVINCES]
_BP_CUM = [c for _, c in BIRTH_PROVINCES]


def _birth(x):
    return _BP_CODES[bisect.bisect_left(_BP_CUM, x)]


if __name__ == "__main__":
    main()
