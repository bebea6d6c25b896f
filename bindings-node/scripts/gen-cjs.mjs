// Writes the CommonJS twins of the façade's ES modules: lib/X.mjs → lib/X.cjs, for
// `require('essbasic')` users on every supported Node (≥ 18, where `require()` cannot load
// an ES module). The .mjs files are the only source; the .cjs files are generated, committed
// (so the package works straight from git and `npm pack` needs no build step) and checked:
//
//   node scripts/gen-cjs.mjs           writes every lib/*.cjs twin
//   node scripts/gen-cjs.mjs --check   fails when a twin is missing or out of date (tests)
//
// The sources keep to a small subset of module syntax, which this script translates line by
// line and refuses anything else (so a twin can never silently differ in meaning):
//   import { a, b as c } from './x.mjs';   →  const { a, b: c } = require('./x.cjs');
//   import * as ns from './x.mjs';         →  const ns = require('./x.cjs');
//   import name from 'node:builtin';       →  const name = require('node:builtin');
//   export function|async function|class|const|let NAME ...  →  the same without `export`
//   export { a, b as c };                  →  (collected)
//   import.meta.url                        →  the file's URL from __filename
// and ends the twin with `module.exports = { ...every export }`. Dynamic `import()` is left
// as it is (CommonJS has it too). `export default`, `export *`, default imports of relative
// modules and imports of non-.mjs relative files are refused.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, basename } from 'node:path';

const lib = fileURLToPath(new URL('../lib/', import.meta.url));

/** The ES modules that get a CommonJS twin (the entry points are written by hand). */
export const SOURCES = [
  'actions.mjs',
  'errors.mjs',
  'facade.mjs',
  'features.mjs',
  'int64.mjs',
  'platform-node.mjs',
  'transport-fetch.mjs',
  'transport-node.mjs',
  'transport-socket.mjs',
  'version.mjs',
];

function fail(file, line, why) {
  throw new Error(`${file}:${line}: ${why}`);
}

function specifier(file, lineNo, spec) {
  if (spec.startsWith('node:')) return spec;
  if (!spec.startsWith('./')) fail(file, lineNo, `only node: builtins and ./relative imports are supported (${spec})`);
  if (!spec.endsWith('.mjs')) fail(file, lineNo, `a relative import must name a .mjs file (${spec})`);
  if (!SOURCES.includes(spec.slice(2))) fail(file, lineNo, `${spec} has no CommonJS twin (add it to SOURCES)`);
  return spec.replace(/\.mjs$/, '.cjs');
}

function bindings(file, lineNo, list, arrow) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(s);
      if (!m) fail(file, lineNo, `unsupported binding "${s}"`);
      return m[2] ? `${m[1]}${arrow}${m[2]}` : m[1];
    });
}

/** The CommonJS text of one ES module source. */
export function toCommonJs(file, source) {
  const lines = source.split('\n');
  const out = [];
  const exported = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const lineNo = i + 1;
    // A multi-line `import { ... } from` / `export { ... }`: join it first.
    if (/^(import|export)\s*\{[^}]*$/.test(line)) {
      const start = i;
      while (!lines[i].includes('}')) {
        i++;
        if (i >= lines.length) fail(file, start + 1, 'unterminated braces');
      }
      line = lines.slice(start, i + 1).join(' ');
      // Keep the line count (stack traces of the twin point at the same lines).
      for (let k = start; k < i; k++) out.push('');
    }
    let m;
    if ((m = /^import\s*\{([^}]*)\}\s*from\s*'([^']+)';\s*$/.exec(line))) {
      out.push(`const { ${bindings(file, lineNo, m[1], ': ').join(', ')} } = require('${specifier(file, lineNo, m[2])}');`);
    } else if ((m = /^import\s*\*\s*as\s+([A-Za-z_$][\w$]*)\s+from\s*'([^']+)';\s*$/.exec(line))) {
      out.push(`const ${m[1]} = require('${specifier(file, lineNo, m[2])}');`);
    } else if ((m = /^import\s+([A-Za-z_$][\w$]*)\s+from\s*'(node:[^']+)';\s*$/.exec(line))) {
      out.push(`const ${m[1]} = require('${m[2]}');`);
    } else if (/^import\s/.test(line)) {
      fail(file, lineNo, `unsupported import: ${line.trim()}`);
    } else if ((m = /^export\s*\{([^}]*)\};?\s*$/.exec(line))) {
      exported.push(...bindings(file, lineNo, m[1], ' as ').map((b) => {
        const [local, name] = b.split(' as ');
        return name ? `${name}: ${local}` : local;
      }));
      out.push('');
    } else if ((m = /^export\s+((?:async\s+)?function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/.exec(line))) {
      exported.push(m[2]);
      out.push(line.replace(/^export\s+/, ''));
    } else if (/^export\s/.test(line)) {
      fail(file, lineNo, `unsupported export: ${line.trim()}`);
    } else {
      if (/^\s*(import|export)\s*[{*]/.test(line)) fail(file, lineNo, 'import/export must start a line');
      out.push(line.replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href"));
    }
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return [
    `'use strict'; // @generated by scripts/gen-cjs.mjs from lib/${basename(file)} — DO NOT EDIT`,
    ...out,
    '',
    `module.exports = { ${exported.join(', ')} };`,
    '',
  ].join('\n');
}

function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const name of SOURCES) {
    const src = join(lib, name);
    const twin = join(lib, name.replace(/\.mjs$/, '.cjs'));
    const text = toCommonJs(name, readFileSync(src, 'utf8'));
    if (check) {
      if (!existsSync(twin) || readFileSync(twin, 'utf8') !== text) stale.push(basename(twin));
    } else {
      writeFileSync(twin, text);
    }
  }
  // A .cjs file in lib/ that is neither a twin nor the hand-written entry is a leftover.
  const known = new Set([...SOURCES.map((n) => n.replace(/\.mjs$/, '.cjs')), 'index.cjs']);
  const extra = readdirSync(lib).filter((n) => n.endsWith('.cjs') && !known.has(n));
  if (check && (stale.length || extra.length)) {
    if (stale.length) console.error(`out of date: lib/${stale.join(', lib/')}: run node scripts/gen-cjs.mjs`);
    if (extra.length) console.error(`not generated from a source: lib/${extra.join(', lib/')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
