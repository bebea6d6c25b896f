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
// as it is (CommonJS has it too), except `import('./x.mjs')` of a module with a twin, which
// becomes `Promise.resolve().then(() => require('./x.cjs'))` (the same copy of the code as the
// twin's static requires). `export default`, `export *`, default imports of relative modules
// and imports of non-.mjs relative files are refused.
//
// The twins are what `require('essbasic')` loads, and V8 keeps each module's source text
// for the life of the process (a two-byte string as soon as one character is not ASCII):
// so a twin has no comments and no indentation (each comment's lines are left empty: the
// line numbers of stack traces stay those of the source, one line down for the header;
// the columns do not) and is pure ASCII
// (a non-ASCII character in a string, template or regular expression literal becomes its
// `\uXXXX` escape, which means the same there). The comments are in the .mjs sources.
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
  'tc3-signer.mjs',
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

/** Words after which a `/` starts a regular expression literal (not a division). */
const BEFORE_REGEX = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

/**
 * `text` without its comments (a comment spanning lines leaves its line breaks, one within a
 * line a space; trailing blanks are dropped), without the indentation of lines that start
 * in code (not of those inside a template literal), and with every non-ASCII character escaped
 * (`\uXXXX`: outside comments, the sources have them only in string, template and regular
 * expression literals, where the escape means the same). A small JavaScript scanner: string,
 * template (with `${}` nesting) and regular expression literals are copied as they are; a
 * `/` is a regular expression after an operator, an opening bracket or one of
 * {@link BEFORE_REGEX}, a division after a name, a number or a closing bracket.
 */
export function stripComments(file, text) {
  let out = '';
  let i = 0;
  const n = text.length;
  const lineAt = (at) => text.slice(0, at).split('\n').length;
  let regexOk = true;
  let braces = 0;
  /** For each open `${` of a template literal: the brace depth its `}` closes. */
  const substitutions = [];
  /** Copies template characters from `i` to the closing backtick or a `${` (included). */
  const template = () => {
    const start = i;
    for (;;) {
      if (i >= n) fail(file, lineAt(start), 'unterminated template literal');
      const c = text[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        i += 1;
        regexOk = false;
        break;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        substitutions.push(braces);
        regexOk = true;
        break;
      } else {
        i += 1;
      }
    }
    out += text.slice(start, i);
  };
  /** Skips the spaces and tabs at `at` (a line's indentation, in code: it means nothing there). */
  const skipIndent = (at) => {
    while (text[at] === ' ' || text[at] === '\t') at++;
    return at;
  };
  i = skipIndent(0);
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(file, lineAt(i), 'unterminated comment');
      const breaks = text.slice(i, end).split('\n').length - 1;
      out += breaks ? '\n'.repeat(breaks) : ' ';
      i = end + 2;
      if (breaks) i = skipIndent(i);
    } else if (c === "'" || c === '"') {
      const start = i;
      for (i += 1; text[i] !== c; i += text[i] === '\\' ? 2 : 1) {
        if (i >= n || text[i] === '\n') fail(file, lineAt(start), 'unterminated string literal');
      }
      i += 1;
      out += text.slice(start, i);
      regexOk = false;
    } else if (c === '`') {
      out += c;
      i += 1;
      template();
    } else if (c === '}' && substitutions.length !== 0 && substitutions[substitutions.length - 1] === braces) {
      substitutions.pop();
      out += c;
      i += 1;
      template();
    } else if (c === '/' && regexOk) {
      const start = i;
      let inClass = false;
      for (i += 1; inClass || text[i] !== '/'; i += text[i] === '\\' ? 2 : 1) {
        if (i >= n || text[i] === '\n') fail(file, lineAt(start), 'unterminated regular expression literal');
        if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
      }
      for (i += 1; i < n && /[a-z]/.test(text[i]); i++);
      out += text.slice(start, i);
      regexOk = false;
    } else if (/[A-Za-z_$\d]/.test(c)) {
      const start = i;
      while (i < n && /[\w$]/.test(text[i])) i++;
      // A number's fraction or exponent sign (`1.5`, `1e-3`) stays with it.
      while (/\d/.test(c) && i < n && /[\w$.]/.test(text[i])) i++;
      const word = text.slice(start, i);
      out += word;
      regexOk = BEFORE_REGEX.has(word);
    } else {
      if (c === '{') braces += 1;
      else if (c === '}') braces -= 1;
      if (!/\s/.test(c)) regexOk = c !== ')' && c !== ']';
      out += c;
      i += 1;
      if (c === '\n') i = skipIndent(i);
    }
  }
  const stripped = out
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (stripped.split('\n').length !== text.split('\n').length) fail(file, 1, 'the line count changed');
  return stripped;
}

/** The CommonJS text of one ES module source. */
export function toCommonJs(file, source) {
  const lines = stripComments(file, source).split('\n');
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
      out.push(
        line
          .replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href")
          .replace(/\bimport\('\.\/([^']+)'\)/g, (call, name) =>
            SOURCES.includes(name) ? `Promise.resolve().then(() => require('./${name.replace(/\.mjs$/, '.cjs')}'))` : call,
          ),
      );
    }
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return [
    `'use strict'; // @generated by scripts/gen-cjs.mjs from lib/${basename(file)} (its comments are there) - DO NOT EDIT`,
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
