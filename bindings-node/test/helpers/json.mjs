// Lossless JSON for the tests: integers beyond ±(2^53 − 1) parse as `bigint`, and values
// compare by exact numeric value (key order free), as the conformance vectors define it.

/** Parses JSON text; integers outside the safe range become `bigint`. */
export function parseLossless(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return out;
        } else fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const out = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return out;
        } else fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m[0].length;
    if (m[1] || m[2]) return Number(m[0]);
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const out = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return out;
}

const isNum = (v) => typeof v === 'number' || typeof v === 'bigint';

/** Exact numeric equality of a number or bigint pair (an integer-valued double by value). */
function numEqual(a, b) {
  const intLike = (v) => typeof v === 'bigint' || Number.isInteger(v);
  if (intLike(a) && intLike(b)) return BigInt(a) === BigInt(b);
  return Number(a) === Number(b) && typeof a === 'number' && typeof b === 'number';
}

/** Deep JSON equality: numbers by exact value, object keys in any order. */
export function jsonEqual(a, b) {
  if (isNum(a) && isNum(b)) return numEqual(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, k) => jsonEqual(v, b[k]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Whether an object anywhere in `v` has a `null` member. */
export function hasNullMember(v) {
  if (Array.isArray(v)) return v.some(hasNullMember);
  if (v && typeof v === 'object') return Object.values(v).some((x) => x === null || hasNullMember(x));
  return false;
}

/** A short printable form (bigint as digits). */
export function show(v) {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
  return s && s.length > 300 ? s.slice(0, 300) + '…' : s;
}
