#!/usr/bin/env python3
"""Two FEBRL-like sources of N records each, for `pdh link pair`, with known truth.

Source A holds N people; source B holds N records: a share of A's people written again with
the errors real registers have (typos, missing values, digits of a date or ID mistyped, day and
month swapped), and people of its own. Each source is free of duplicates.

Usage: link_gen.py N OUT_DIR [--overlap 0.5] [--seed 1]
Writes OUT_DIR/a.csv, OUT_DIR/b.csv and OUT_DIR/truth.csv (id_a,id_b).
"""
import argparse
import csv
import os
import random
import string

HEADER = ["rec_id", "given_name", "surname", "street_number", "address_1", "suburb",
          "postcode", "state", "date_of_birth", "soc_sec_id"]
SYLLABLES = ["an", "ba", "ca", "da", "el", "fi", "ga", "ha", "in", "jo", "ka", "li", "ma",
             "ne", "no", "ol", "pa", "ra", "ri", "sa", "so", "ta", "te", "ul", "va", "wi",
             "ya", "ze", "lo", "mi", "ro", "ne", "ck", "th", "st", "ll", "rt", "nd", "sh"]
STATES = ["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"]
STREET_KINDS = ["street", "road", "avenue", "place", "crescent", "circuit", "close", "drive"]


def pool(rng, size, parts):
    out = set()
    while len(out) < size:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice(parts))))
    return sorted(out)


def zipf_picker(rng, values, s=1.1):
    weights = [1.0 / (i + 1) ** s for i in range(len(values))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)

    import bisect

    def pick():
        return values[bisect.bisect_left(cum, rng.random() * total)]
    return pick


def typo(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    kind = rng.randrange(4)
    c = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return s[:i] + c + s[i + 1:]
    if kind == 1:
        return s[:i] + c + s[i:]
    if kind == 2 and len(s) > 2:
        return s[:i] + s[i + 1:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s + c


def digit_typo(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    if rng.random() < 0.5 and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice(string.digits) + s[i + 1:]


class People:
    def __init__(self, rng):
        self.rng = rng
        self.given = zipf_picker(rng, pool(rng, 6000, [2, 3]), 0.8)
        self.surname = zipf_picker(rng, pool(rng, 20000, [2, 3, 4]), 0.8)
        streets = pool(rng, 8000, [2, 3])
        self.street = zipf_picker(rng, streets, 0.6)
        self.suburb = zipf_picker(rng, pool(rng, 3000, [2, 3]), 0.8)
        self.used_ids = set()

    def person(self):
        rng = self.rng
        while True:
            ssn = str(rng.randrange(1000000, 9999999))
            if ssn not in self.used_ids:
                self.used_ids.add(ssn)
                break
        return {
            "given_name": self.given(),
            "surname": self.surname(),
            "street_number": str(rng.randrange(1, 300)),
            "address_1": self.street() + " " + rng.choice(STREET_KINDS),
            "suburb": self.suburb(),
            "postcode": str(rng.randrange(2000, 7000)),
            "state": rng.choice(STATES),
            "date_of_birth": "%04d%02d%02d" % (rng.randrange(1920, 2010), rng.randrange(1, 13),
                                               rng.randrange(1, 29)),
            "soc_sec_id": ssn,
        }


def corrupt(rng, p):
    q = dict(p)
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        what = rng.randrange(9)
        if what == 0:
            q["given_name"] = typo(rng, q["given_name"])
        elif what == 1:
            q["surname"] = typo(rng, q["surname"])
        elif what == 2:
            q[rng.choice(["given_name", "surname", "address_1", "suburb", "soc_sec_id",
                          "date_of_birth"])] = ""
        elif what == 3:
            q["date_of_birth"] = digit_typo(rng, q["date_of_birth"])
        elif what == 4:
            d = q["date_of_birth"]
            if len(d) == 8 and int(d[6:]) <= 12:
                q["date_of_birth"] = d[:4] + d[6:] + d[4:6]
        elif what == 5:
            q["soc_sec_id"] = digit_typo(rng, q["soc_sec_id"])
        elif what == 6:
            q["postcode"] = digit_typo(rng, q["postcode"])
        elif what == 7:
            q["address_1"] = typo(rng, q["address_1"])
        else:
            q["street_number"] = digit_typo(rng, q["street_number"])
    return q


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--overlap", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    people = People(rng)
    os.makedirs(args.out, exist_ok=True)
    a = [people.person() for _ in range(args.n)]
    shared = set(rng.sample(range(args.n), int(args.n * args.overlap)))
    b = []
    truth = []
    for i in range(args.n):
        if i in shared:
            b.append(("b%d" % len(b), corrupt(rng, a[i])))
            truth.append(("a%d" % i, b[-1][0]))
        else:
            b.append(("b%d" % len(b), people.person()))
    order = list(range(len(b)))
    rng.shuffle(order)
    with open(os.path.join(args.out, "a.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i, p in enumerate(a):
            w.writerow(["a%d" % i] + [p[k] for k in HEADER[1:]])
    with open(os.path.join(args.out, "b.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in order:
            rid, p = b[i]
            w.writerow([rid] + [p[k] for k in HEADER[1:]])
    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id_a", "id_b"])
        w.writerows(truth)


if __name__ == "__main__":
    main()
