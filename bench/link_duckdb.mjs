// The DuckDB peer of `pdh link pair`: the same blocking rules and comparison levels written as
// SQL (a UNION of equi-joins for the rules, CASE ladders for the levels, as Splink generates
// them), scored with the m and u pdh fitted, so that only the comparison and scoring step is
// measured (no training in DuckDB).
//
// Usage: node link_duckdb.mjs A.csv B.csv PDH.json [PDH_PAIRS.csv] [--id COLUMN] [--threads N] [--sql]
//   PDH.json       what `pdh link pair ... --json` printed (columns, rules, fitted m/u, prior)
//   PDH_PAIRS.csv  what `pdh link pair ... --pairs-out` wrote: every pair pdh compared, with its
//                  weight; when given, the pairs and weights are checked against DuckDB's
//   --sql          print the blocking and the comparison-and-scoring SQL to stderr
// Prints one JSON object: the times of each step, the pair counts and the checks.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let threads = 2;
let idColumn = 'rec_id';
let showSql = false;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--id') idColumn = args[++i];
  else if (args[i] === '--sql') showSql = true;
  else files.push(args[i]);
}
if (files.length < 3) {
  console.error('usage: node link_duckdb.mjs A.csv B.csv PDH.json [PDH_PAIRS.csv] [--id COLUMN] [--threads N] [--sql]');
  process.exit(2);
}
const [fileA, fileB, jsonPath, pairsPath] = files;
const pdh = JSON.parse(readFileSync(jsonPath, 'utf8'));
const comparisons = pdh.model.comparisons;
const WITHIN_DAYS = 30; // pdh's default (Options::within_days)

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const num = (x) => {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return x.toPrecision(17);
};

// --- Each record's values, normalized once (what pdh's encoding does while reading) ----------

// pdh's text::Fold on the values this benchmark has: lower case, no diacritics, Đ as D, spaces
// collapsed.
const fold = (e) =>
  `nullif(trim(regexp_replace(replace(strip_accents(lower(${e})), 'đ', 'd'), '\\s+', ' ', 'g')), '')`;
const collapse = (e) => `nullif(trim(regexp_replace(${e}, '\\s+', ' ', 'g')), '')`;

// The derived columns of comparison `i`, from the raw column.
function derived(c, i) {
  const raw = ident(c.column);
  switch (c.kind) {
    case 'name':
    case 'text':
      return [
        `${collapse(`nfc_normalize(${raw})`)} AS c${i}_ex`,
        // pdh also moves each syllable's tone mark to one place (hoà / hòa); SQL has no such
        // function, so this level is case-folded NFC only (the generated data has no tone marks).
        `lower(${collapse(`nfc_normalize(${raw})`)}) AS c${i}_tn`,
        `${fold(raw)} AS c${i}_fd`,
      ];
    case 'code':
      return [`${fold(raw)} AS c${i}_fd`];
    case 'id':
      return [`nullif(regexp_replace(${raw}, '[^0-9]', '', 'g'), '') AS c${i}_fd`];
    case 'date': {
      const t = `trim(${raw})`;
      const dt = `(CASE WHEN regexp_full_match(${t}, '[0-9]{8}') THEN try_strptime(${t}, '%Y%m%d')
        ELSE coalesce(try_strptime(${t}, '%Y-%m-%d'), try_strptime(${t}, '%d/%m/%Y'),
                      try_strptime(${t}, '%d-%m-%Y')) END)::DATE`;
      // pdh reads no year 0 (DuckDB does: "00000520").
      return [`CASE WHEN year(${dt}) >= 1 THEN ${dt} END AS c${i}_dt`];
    }
    default:
      throw new Error(`column ${c.column}: kind ${c.kind} is not written in SQL here`);
  }
}

// A date's folded form in pdh: year * 10000 + month * 100 + day, as digits.
const dateDigits = (side, i) =>
  `(year(${side}.c${i}_dt) * 10000 + month(${side}.c${i}_dt) * 100 + day(${side}.c${i}_dt))::VARCHAR`;

// Per record, after the derived columns: a date's digits, and the share of the column's values
// equal to this one (term frequency, over both sources).
function finishing(c, i) {
  const out = [];
  if (c.kind === 'date') out.push(`${dateDigits('s', i)} AS c${i}_ds`);
  if (c.term_frequency) {
    out.push(`CASE WHEN s.c${i}_fd IS NULL THEN NULL ELSE
      count(*) OVER (PARTITION BY s.c${i}_fd)::DOUBLE / count(s.c${i}_fd) OVER () END AS c${i}_tf`);
  }
  return out;
}

// --- Blocking keys, as pdh's ParseRules reads them -------------------------------------------

function columnNamed(name) {
  const f = name.trim().toLowerCase();
  let i = comparisons.findIndex((c) => c.column.toLowerCase() === f);
  if (i < 0) i = comparisons.findIndex((c) => c.role && c.role === f);
  return i;
}

function keyExpr(token, side) {
  let i = columnNamed(token);
  if (i >= 0) {
    return comparisons[i].kind === 'date' ? `${side}.c${i}_dt` : `${side}.c${i}_fd`;
  }
  if (token.endsWith('_year')) {
    i = columnNamed(token.slice(0, -5));
    if (i >= 0 && comparisons[i].kind === 'date') return `year(${side}.c${i}_dt)`;
  }
  const m = /^(.*?)(\d{1,3})$/.exec(token);
  if (m && (i = columnNamed(m[1])) >= 0) {
    const f = comparisons[i].kind === 'date' ? `${side}.c${i}_ds` : `${side}.c${i}_fd`;
    return `left(${f}, ${Number(m[2])})`;
  }
  throw new Error(`blocking key ${token} names no compared column`);
}

const rules = pdh.rules.filter((r) => r.used).map((r) => r.rule);
const ruleCondition = (rule) =>
  rule
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => `${keyExpr(t, 'l')} = ${keyExpr(t, 'r')}`)
    .join(' AND ');

// Splink's blocking: one equi-join per rule, each leaving out the pairs an earlier rule found.
const blockingSql = rules
  .map((rule, k) => {
    const earlier = rules
      .slice(0, k)
      .map((e) => `coalesce((${ruleCondition(e)}), false)`)
      .join(' OR ');
    return `SELECT l.rn AS ra, r.rn AS rb FROM pa l JOIN pb r ON ${ruleCondition(rule)}` +
      (earlier ? ` WHERE NOT (${earlier})` : '');
  })
  .join('\nUNION ALL\n');

// --- The comparison levels of each kind, best first (pdh's src/link/compare.cc) --------------

// The SQL condition of each level, given l and r; the order is the ladder's.
function levelConditions(c, i) {
  const L = (s) => `l.c${i}_${s}`;
  const R = (s) => `r.c${i}_${s}`;
  switch (c.kind) {
    case 'name':
    case 'text':
      return {
        missing: `${L('ex')} IS NULL OR ${R('ex')} IS NULL`,
        exact: `${L('ex')} = ${R('ex')}`,
        tone: `${L('tn')} = ${R('tn')}`,
        folded: `${L('fd')} = ${R('fd')}`,
        edit1: `levenshtein(${L('fd')}, ${R('fd')}) <= 1`,
        'jw0.92': `jaro_winkler_similarity(${L('fd')}, ${R('fd')}) >= 0.92`,
        edit2: `levenshtein(${L('fd')}, ${R('fd')}) <= 2`,
        'jw0.88': `jaro_winkler_similarity(${L('fd')}, ${R('fd')}) >= 0.88`,
      };
    case 'code':
      return {
        missing: `${L('fd')} IS NULL OR ${R('fd')} IS NULL`,
        exact: `${L('fd')} = ${R('fd')}`,
        edit1: `levenshtein(${L('fd')}, ${R('fd')}) <= 1`,
      };
    case 'id':
      return {
        missing: `${L('fd')} IS NULL OR ${R('fd')} IS NULL`,
        exact: `${L('fd')} = ${R('fd')}`,
        // A 12-digit citizen ID against the 9-digit ID it replaced says nothing.
        neutral: `least(length(${L('fd')}), length(${R('fd')})) = 9 AND
                  greatest(length(${L('fd')}), length(${R('fd')})) = 12`,
        // One edit, or two neighbouring digits exchanged, between IDs of one length.
        edit1: `length(${L('fd')}) = length(${R('fd')}) AND
                damerau_levenshtein(${L('fd')}, ${R('fd')}) <= 1`,
      };
    case 'date':
      return {
        missing: `${L('dt')} IS NULL OR ${R('dt')} IS NULL`,
        exact: `${L('dt')} = ${R('dt')}`,
        day_month_swapped: `year(${L('dt')}) = year(${R('dt')}) AND day(${L('dt')}) = month(${R('dt')})
                            AND month(${L('dt')}) = day(${R('dt')})`,
        // pdh: Levenshtein at most 1 or one exchange of neighbouring digits (YYYYMMDD).
        edit1: `damerau_levenshtein(${L('ds')}, ${R('ds')}) <= 1`,
        within_days: `abs(date_diff('day', ${L('dt')}, ${R('dt')})) <= ${WITHIN_DAYS}`,
        same_year: `year(${L('dt')}) = year(${R('dt')})`,
      };
    default:
      throw new Error(`kind ${c.kind}`);
  }
}

// gamma: -1 missing, -2 neutral, else the index of the level in pdh's list of the column.
function gammaSql(c, i) {
  const conds = levelConditions(c, i);
  const names = c.levels.map((lv) => lv.level);
  const parts = [`WHEN ${conds.missing} THEN -1`];
  if (conds.neutral) parts.push(`WHEN ${conds.neutral} THEN -2`);
  for (const [name, cond] of Object.entries(conds)) {
    if (name === 'missing' || name === 'neutral') continue;
    const idx = names.indexOf(name);
    if (idx < 0) throw new Error(`column ${c.column}: no fitted level ${name}`);
    parts.push(`WHEN ${cond} THEN ${idx}`);
  }
  const other = names.indexOf('other');
  return `CASE ${parts.join('\n    ')}\n    ELSE ${other} END::TINYINT AS g${i}`;
}

// The weight of comparison i at its gamma: log2(m/u) of the level; an exact match of a
// term-frequency column weighs log2(u_exact / share of the value) more (pdh: Linkage::Weigh).
function weightSql(c, i) {
  const cases = c.levels.map((lv, idx) => `WHEN ${idx} THEN ${num(lv.weight)}`).join(' ');
  let w = `CASE g${i} ${cases} ELSE 0 END`;
  if (c.term_frequency) {
    const exact = c.levels.findIndex((lv) => lv.level === 'exact');
    const u = c.levels[exact].u;
    w += ` + CASE WHEN g${i} = ${exact} THEN log2(${num(u)} / tf${i}) ELSE 0 END`;
  }
  return w;
}

const priorBits = Math.log2(pdh.model.lambda / (1 - pdh.model.lambda));
const tfColumns = comparisons
  .map((c, i) => (c.term_frequency ? `l.c${i}_tf AS tf${i}` : null))
  .filter(Boolean);
const scoringSql = `CREATE TABLE scored AS
SELECT ra, rb, ${comparisons.map((_, i) => `g${i}`).join(', ')},
  (${num(priorBits)} + ${comparisons.map((c, i) => weightSql(c, i)).join('\n   + ')})::DOUBLE AS weight
FROM (
  SELECT p.ra, p.rb, ${[...comparisons.map((c, i) => gammaSql(c, i)), ...tfColumns].join(',\n  ')}
  FROM pairs p JOIN pa l ON l.rn = p.ra JOIN pb r ON r.rn = p.rb
)`;

// --- Run ----------------------------------------------------------------------------------------

if (showSql) console.error(`${blockingSql};\n\n${scoringSql};`);

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`SET threads = ${threads}`);
await db.run('SET preserve_insertion_order = false');
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const timed = async (sql) => {
  const t = process.hrtime.bigint();
  await db.run(sql);
  return Number(process.hrtime.bigint() - t) / 1e9;
};

// The term frequencies are over both sources: prepare the union, then split it.
const out = { threads, rules };
const t0 = process.hrtime.bigint();
await db.run(`CREATE TABLE raw AS
  SELECT *, 'pa' AS src FROM read_csv(${lit(fileA)}, header = true, all_varchar = true)
  UNION ALL BY NAME
  SELECT *, 'pb' AS src FROM read_csv(${lit(fileB)}, header = true, all_varchar = true)`);
await db.run(`CREATE TABLE prepared AS
SELECT s.*, ${comparisons.flatMap((c, i) => finishing(c, i)).join(', ') || '1 AS _'}
FROM (
  SELECT (row_number() OVER ())::UINTEGER AS rn, ${ident(idColumn)} AS rid, src,
    ${comparisons.flatMap((c, i) => derived(c, i)).join(',\n    ')}
  FROM raw
) s`);
await db.run(`CREATE TABLE pa AS SELECT * FROM prepared WHERE src = 'pa'`);
await db.run(`CREATE TABLE pb AS SELECT * FROM prepared WHERE src = 'pb'`);
await db.run('DROP TABLE prepared');
await db.run('DROP TABLE raw');
out.load_s = Number(process.hrtime.bigint() - t0) / 1e9;

out.block_s = await timed(`CREATE TABLE pairs AS ${blockingSql}`);
out.compare_score_s = await timed(scoringSql);
out.pairs = Number((await rows('SELECT count(*) AS n FROM pairs'))[0].n);
out.records = Number((await rows('SELECT (SELECT count(*) FROM pa) + (SELECT count(*) FROM pb) AS n'))[0].n);

// --- Checks (not timed) ---------------------------------------------------------------------------

out.pdh_pairs = pdh.pairs_compared;
out.rule_pairs = [];
for (const rule of rules) {
  const n = Number((await rows(`SELECT count(*) AS n FROM pa l JOIN pb r ON ${ruleCondition(rule)}`))[0].n);
  out.rule_pairs.push({ rule, duckdb: n, pdh: pdh.rules.find((r) => r.rule === rule).pairs });
}
// The histogram of match weights in pdh's 2-bit bins.
const bins = pdh.histogram;
if (bins.length) {
  const start = bins[0].from;
  const hist = await rows(`SELECT least(${bins.length - 1}, floor((weight::FLOAT - ${num(start)}) / 2))::INT AS bin,
      count(*) AS n FROM scored GROUP BY ALL ORDER BY bin`);
  const got = new Map(hist.map((h) => [Number(h.bin), Number(h.n)]));
  out.histogram_bins_differing = bins.filter((b, k) => (got.get(k) ?? 0) !== b.pairs).length;
}
if (pairsPath) {
  await db.run(`CREATE TABLE pdh AS SELECT id_a::VARCHAR AS id_a, id_b::VARCHAR AS id_b,
    match_weight::DOUBLE AS match_weight FROM read_csv(${lit(pairsPath)}, header = true)`);
  await db.run(`CREATE TABLE duck AS SELECT l.rid AS id_a, r.rid AS id_b, s.*
    FROM scored s JOIN pa l ON l.rn = s.ra JOIN pb r ON r.rn = s.rb`);
  const [c] = await rows(`SELECT
      count(*) FILTER (WHERE d.id_a IS NULL) AS only_pdh,
      count(*) FILTER (WHERE p.id_a IS NULL) AS only_duckdb,
      count(*) FILTER (WHERE p.id_a IS NOT NULL AND d.id_a IS NOT NULL) AS both,
      count(*) FILTER (WHERE abs(p.match_weight - d.weight) > 0.01) AS differ,
      max(abs(p.match_weight - d.weight)) AS max_diff
    FROM pdh p FULL JOIN duck d ON p.id_a = d.id_a AND p.id_b = d.id_b`);
  out.check = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Number(v)]));
  // Jaro-Winkler differs between the two (see bench/README.md): the differing pairs where
  // DuckDB put a name or text column at a level its Jaro-Winkler similarity decides.
  const jw = comparisons
    .map((cmp, i) => {
      const idx = ['jw0.92', 'edit2', 'jw0.88', 'other'].map((l) =>
        cmp.levels.findIndex((lv) => lv.level === l));
      return cmp.kind === 'name' || cmp.kind === 'text' ? `d.g${i} IN (${idx.join(', ')})` : null;
    })
    .filter(Boolean);
  if (jw.length) {
    out.check.differ_at_a_jaro_winkler_level = Number((await rows(`SELECT count(*) AS n
      FROM pdh p JOIN duck d ON p.id_a = d.id_a AND p.id_b = d.id_b
      WHERE abs(p.match_weight - d.weight) > 0.01 AND (${jw.join(' OR ')})`))[0].n);
    out.differing_elsewhere_examples = await rows(`SELECT p.id_a, p.id_b, p.match_weight AS pdh,
        d.weight AS duckdb, ${comparisons.map((_, i) => `d.g${i}`).join(', ')}
      FROM pdh p JOIN duck d ON p.id_a = d.id_a AND p.id_b = d.id_b
      WHERE abs(p.match_weight - d.weight) > 0.01 AND NOT (${jw.join(' OR ')}) LIMIT 5`);
  }
  out.differing_examples = await rows(`SELECT p.id_a, p.id_b, p.match_weight AS pdh, d.weight AS duckdb,
      ${comparisons.map((_, i) => `d.g${i}`).join(', ')}
    FROM pdh p JOIN duck d ON p.id_a = d.id_a AND p.id_b = d.id_b
    WHERE abs(p.match_weight - d.weight) > 0.01 ORDER BY abs(p.match_weight - d.weight) DESC LIMIT 5`);
}
console.log(JSON.stringify(out));
