#!/usr/bin/env python3
"""Two pre-merger versions of one household-business register, with known truth.

Usage: link_gen_vi.py N DIR [SEED] [CROSSWALK]

Writes DIR/a.csv (old Long An's register), DIR/b.csv (old Tây Ninh's) and DIR/truth.csv
(id_a,id_b). Each holds N households; half of B's owners are owners of A written again (people
registered in both provinces, or who moved), with the errors real registers have: no diacritics,
the other tone placement (Hoà / Hòa, Thuỷ / Thủy), a typo, day and month swapped, a 9-digit old ID
where the other has the 12-digit citizen ID, a missing ID, the phone as +84, another phone or
none, a middle name left out, family and given name swapped, the commune under its old code
(before 1 July 2025) where the other has the new one.
Family names follow their frequencies in Vietnam (Nguyễn about 38 %), so names alone do not tell
people apart. Deterministic for a seed.
"""
import csv
import os
import random
import sys
import unicodedata

FAMILY = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 71), ("Huỳnh", 51), ("Hoàng", 30),
          ("Phan", 45), ("Võ", 39), ("Vũ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
          ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trương", 6), ("Lâm", 5), ("Mai", 4),
          ("Tạ", 2), ("Châu", 3), ("Thái", 2), ("Lương", 3), ("Quách", 1), ("Kiều", 1), ("Từ", 1)]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Hoàng", "Ngọc", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Hồng", "Mỹ", "Bích", "Thúy", "Phương"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hòa", "Hùng", "Huy", "Khoa", "Khánh", "Long", "Nam",
           "Phúc", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Toàn", "Trung", "Tuấn", "Vinh", "Hiếu",
           "Hoàng", "Đạt", "Lộc", "Thuận", "Thủy", "Quý", "Tùng", "Nghĩa", "Phát", "Tú"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hòa", "Hương", "Lan", "Linh",
           "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy",
           "Thúy", "Trang", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Huệ", "Liên", "Ngọc", "Tuyết"]
TRADES = ["Bán lẻ tạp hóa", "Quán ăn", "Sửa xe máy", "Cà phê", "Cắt tóc", "May mặc",
          "Bán rau quả", "Vật liệu xây dựng", "Điện thoại di động", "Thuốc tây"]
HAMLETS = ["Ấp 1", "Ấp 2", "Ấp 3", "Ấp Bình Hòa", "Ấp Long Thủy", "Khu phố 1", "Khu phố 2",
           "Khu phố 3", "Ấp Tân Hòa", "Ấp Phước Thuỷ"]

# Old-style tone placement (mark on the first vowel of oa, oe, uy) and the new style.
TONE_PAIRS = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
              ("òe", "oè"), ("óe", "oé"), ("ủy", "uỷ"), ("ùy", "uỳ"), ("úy", "uý"), ("ũy", "uỹ"),
              ("ụy", "uỵ")]


def strip_marks(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def other_tone(s):
    for new, old in TONE_PAIRS:
        if new in s:
            return s.replace(new, old)
        if old in s:
            return s.replace(old, new)
    return s


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return s[:i] + s[i + 1:]
    if kind == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice("aeioun") + s[i + 1:]


def communes(path):
    """(new code, old code, old province) of the units that became province 80."""
    out = []
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) > 7 and row[0].startswith("Tỉnh Tây Ninh (80)") and row[2] and row[4]:
                    out.append((row[2].strip(), row[4].strip(), row[7].strip()))
    return out or [("25459", "25456", "Tỉnh Tây Ninh (72)"), ("27694", "27685", "Tỉnh Long An (80)")]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    here = os.path.dirname(os.path.abspath(__file__))
    crosswalk = sys.argv[4] if len(sys.argv) > 4 else os.path.join(
        here, "..", "..", "shared", "data", "vn-admin", "crosswalk-2025.csv")
    units = communes(crosswalk)
    long_an = [u for u in units if "Long An" in u[2]] or units
    tay_ninh = [u for u in units if "Tây Ninh" in u[2]] or units
    families = [f for f, _ in FAMILY]
    weights = [w for _, w in FAMILY]
    os.makedirs(out, exist_ok=True)

    def person(pool):
        male = rng.random() < 0.5
        unit = rng.choice(pool)
        return {
            "family": rng.choices(families, weights)[0],
            "middle": rng.choice(MIDDLE_M if male else MIDDLE_F),
            "given": rng.choice(GIVEN_M if male else GIVEN_F),
            "dob": (rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28)),
            "cccd": "0" + str(rng.choice([72, 80])) + str(rng.randint(0, 1)) + "%08d" % rng.randrange(10**8),
            "cmnd": "%09d" % rng.randrange(10**9),
            "phone": "0" + rng.choice(["90", "91", "93", "94", "96", "97", "98", "33", "38", "70"])
                     + "%07d" % rng.randrange(10**7),
            "unit": unit,
            "hamlet": rng.choice(HAMLETS),
            "trade": rng.choice(TRADES),
        }

    def write(p, errors, old_code, rng):
        family, middle, given = p["family"], p["middle"], p["given"]
        if "swap" in errors:
            family, given = given, family
        name = " ".join(x for x in (family, "" if "middle" in errors else middle, given) if x)
        if "tone" in errors:
            name = other_tone(name)
        if "typo" in errors:
            name = typo(rng, name)
        if "plain" in errors:
            name = strip_marks(name)
        y, m, d = p["dob"]
        if "daymonth" in errors and d <= 12 and d != m:
            d, m = m, d
        ident = "" if "noid" in errors else (p["cmnd"] if "oldid" in errors else p["cccd"])
        phone = p["phone"]
        if "newphone" in errors:
            phone = phone[:3] + "%07d" % rng.randrange(10**7)
        if "nophone" in errors:
            phone = ""
        if "plus84" in errors and phone:
            phone = "+84 " + phone[1:4] + " " + phone[4:7] + " " + phone[7:]
        code = p["unit"][1] if old_code else p["unit"][0]
        return [name, "%02d/%02d/%04d" % (d, m, y), ident, phone, code,
                p["hamlet"], p["trade"]]

    header = ["Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Số CCCD", "Điện thoại", "Mã xã",
              "Địa chỉ", "Ngành nghề"]
    kinds = ["plain", "tone", "typo", "daymonth", "oldid", "noid", "plus84", "newphone", "nophone",
             "middle", "swap"]
    odds = [0.2, 0.2, 0.1, 0.08, 0.15, 0.15, 0.3, 0.3, 0.15, 0.08, 0.03]
    a_people = [person(long_an) for _ in range(n)]
    shared = rng.sample(range(n), n // 2)
    with open(os.path.join(out, "a.csv"), "w", newline="", encoding="utf-8") as fa, \
            open(os.path.join(out, "b.csv"), "w", newline="", encoding="utf-8") as fb, \
            open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8") as ft:
        wa, wb, wt = csv.writer(fa), csv.writer(fb), csv.writer(ft)
        wa.writerow(header)
        wb.writerow(header)
        wt.writerow(["id_a", "id_b"])
        for i, p in enumerate(a_people):
            # Old Long An's register still holds most communes under their old codes.
            wa.writerow(["LA-%07d" % i] + write(p, set(), rng.random() < 0.7, rng))
        b_rows = []
        for i in shared:
            errors = {k for k, q in zip(kinds, odds) if rng.random() < q}
            b_rows.append((i, write(a_people[i], errors, False, rng)))
        for _ in range(n - len(shared)):
            b_rows.append((None, write(person(tay_ninh), set(), rng.random() < 0.3, rng)))
        rng.shuffle(b_rows)
        for j, (i, row) in enumerate(b_rows):
            wb.writerow(["TN-%07d" % j] + row)
            if i is not None:
                wt.writerow(["LA-%07d" % i, "TN-%07d" % j])


if __name__ == "__main__":
    main()
