#!/usr/bin/env node
// Checks DCAT-AP Turtle against the DCAT-AP 3.0.1 SHACL shapes (shapes.ttl and range.ttl).
//
// Usage: node web/scripts/validate-dcat.mjs [FILE|-] [SHAPES_DIR] [--recommended]
//   FILE        the Turtle to check; "-" or none: standard input
//   SHAPES_DIR  the directory of the shapes; default ../shared/data/dcat-ap-3.0.1 relative to
//               the repository's root
//   --recommended  also report the recommended properties (shapes_recommended.ttl, warnings)
// Prints each result (severity, focus node, path, message, value) and exits 1 when any is a violation.
//
// As a module: validateTurtle(text, shapesDir, {recommended}) resolves to
// {conforms, violations, warnings, results: [{severity, focusNode, path, value, message}]}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultShapesDir = path.resolve(here, '../..', '../shared/data/dcat-ap-3.0.1');

function parseTurtle(text, baseIRI) {
  return new Parser({ format: 'text/turtle', baseIRI }).parse(text);
}

const shapesCache = new Map();
function loadShapes(dir, recommended) {
  const key = `${dir}|${recommended}`;
  if (!shapesCache.has(key)) {
    const files = ['shapes.ttl', 'range.ttl'];
    if (recommended) files.push('shapes_recommended.ttl');
    const quads = [];
    for (const f of files) {
      const file = path.join(dir, f);
      quads.push(...parseTurtle(fs.readFileSync(file, 'utf8'), `file://${file}`));
    }
    shapesCache.set(key, quads);
  }
  return shapesCache.get(key);
}

function termText(t) {
  if (!t) return '';
  if (t.termType === 'NamedNode') return `<${t.value}>`;
  if (t.termType === 'BlankNode') return `_:${t.value}`;
  return JSON.stringify(t.value);
}

function localName(iri) {
  return iri ? iri.replace(/^.*[#/]/, '') : '';
}

export async function validateTurtle(text, shapesDir = defaultShapesDir, options = {}) {
  const shapes = loadShapes(shapesDir, Boolean(options.recommended));
  const validator = new SHACLValidator(shapes);
  const data = validator.factory.dataset(parseTurtle(text));
  const report = await validator.validate(data);
  const results = report.results.map((r) => ({
    severity: localName(r.severity?.value),
    focusNode: termText(r.focusNode),
    path: termText(r.path),
    value: termText(r.value),
    message: r.message.map((m) => m.value).join('; ') ||
      localName(r.sourceConstraintComponent?.value),
  }));
  const violations = results.filter((r) => r.severity === 'Violation').length;
  return { conforms: violations === 0, violations, warnings: results.length - violations, results };
}

async function main(argv) {
  const recommended = argv.includes('--recommended');
  const args = argv.filter((a) => a !== '--recommended');
  const file = args[0] ?? '-';
  const shapesDir = args[1] ? path.resolve(args[1]) : defaultShapesDir;
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  let report;
  try {
    report = await validateTurtle(text, shapesDir, { recommended });
  } catch (e) {
    console.error(`validate-dcat: ${e.message}`);
    return 2;
  }
  for (const r of report.results) {
    const value = r.value ? ` (value ${r.value})` : '';
    console.log(`${r.severity}: ${r.focusNode} ${r.path}: ${r.message}${value}`);
  }
  console.log(`validate-dcat: ${report.violations} violations, ${report.warnings} warnings`);
  return report.violations === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
