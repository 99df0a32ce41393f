#!/usr/bin/env node
// Generates the expected-output tables of tests/unit/test_json_write.c from the real
// JSON.stringify, so the C writer is checked against JavaScript itself.
//
//   node tests/unit/gen_json_cases.js                 print the tables
//   node tests/unit/gen_json_cases.js --update FILE   replace them in FILE (between
//                                                     the BEGIN/END GENERATED lines)
//   node tests/unit/gen_json_cases.js --bulk N        print N random double cases,
//                                                     one "hexbits expected" a line
//
// The random cases come from a fixed seed, so the output is reproducible.
'use strict';
const fs = require('fs');

let seed = 0x9e3779b9;
function rand32() { // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0);
}
const randInt = (n) => rand32() % n;
const rand64 = () => (BigInt(rand32()) << 32n) | BigInt(rand32());

const dv = new DataView(new ArrayBuffer(8));
function fromBits(bits) { dv.setBigUint64(0, bits); return dv.getFloat64(0); }
function toBits(d) { dv.setFloat64(0, d); return dv.getBigUint64(0); }
const withExp = (e, mant) => (BigInt(e) << 52n) | (mant & ((1n << 52n) - 1n));

// ---- doubles ----------------------------------------------------------------
function doubleCases() {
  const out = [];
  const add = (d) => out.push(d);
  [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, Math.PI,
   Math.E, 5e-324, -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
   Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, Number.MAX_SAFE_INTEGER,
   Number.MIN_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 2 ** 70, 1e21,
   1e21 - 65536, 999999999999999900000, 1e20, 123456789012345680000, 1e22, 1.5e21,
   1e-7, 1.5e-7, 1e-6, 1.5e-6, 0.000001234, 1e-10, 1.5e-10, 123e-20, 1e100, 1e-100,
   1e308, 1e-308, 9007199254740993, 4.35, 0.3, 100, 1234.5678, 5e-7, 9.5, 0.5, 2.5,
   -123.456, 1e16, 1e15, 12345678901234567890, 8.41e21, 5.0e-324 * 3, 1.7976931348623155e308,
  ].forEach(add);
  for (let e = -1074; e <= 1023; e += 23) add(2 ** e);          // asymmetric gaps
  for (let e = -30; e <= 30; e++) { add(10 ** e); add(-3 * 10 ** e); }
  for (let i = 0; i < 150; i++) add(fromBits(rand64()));        // any bits at all
  for (let i = 0; i < 60; i++) add(fromBits(withExp(0, rand64())));  // subnormals
  for (let i = 0; i < 60; i++) {                                // around 1e21 and 1e-7
    add(fromBits(withExp(1023 + 66 + randInt(5), rand64())));
    add(fromBits(withExp(1023 - 26 + randInt(5), rand64())));
  }
  for (let i = 0; i < 80; i++) add(randInt(2 ** 31) * 2 ** 22 + randInt(2 ** 22)); // < 2^53
  for (let i = 0; i < 60; i++) {                                // short decimals
    const digits = 1 + randInt(15);
    let s = String(1 + randInt(9));
    for (let j = 1; j < digits; j++) s += randInt(10);
    add(Number(s + 'e' + (randInt(80) - 40)));
  }
  return out;
}

// ---- strings ----------------------------------------------------------------
function stringCases() {
  const out = [];
  const add = (bytes) => out.push(Buffer.from(bytes));
  const utf8 = (s) => [...Buffer.from(s, 'utf8')];
  add([]);
  for (let c = 0; c < 0x20; c++) add([0x61, c, 0x62]);
  add([0x7f]);
  add(utf8('"quoted" \\ back/slash'));
  add(utf8('\u2028\u2029 line separators'));
  add(utf8('héllo wörld — ünïcödé'));
  add(utf8('emoji 😀👍🏽 and 𝄞 中文 日本語'));
  add(utf8('\uFFFD\uFFFF\u{10FFFF}'));
  add([0x00]);
  add([0x61, 0x00, 0x62, 0x00]);
  for (const b of [0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff])
    add([0x41, b, 0x42]);
  [[0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80],
   [0xed, 0xbf, 0xbf], [0xed, 0x9f, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
   [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf8, 0x88, 0x80, 0x80, 0x80],
   [0xe2, 0x82], [0xe2, 0x82, 0x41], [0xf0, 0x9f, 0x98], [0xf0, 0x9f], [0xf0, 0x9f, 0x41],
   [0xe2], [0xc3], [0xc3, 0xc3, 0xa9], [0x80, 0x80, 0x80], [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80],
   [0xef, 0xbb, 0xbf, 0x61], [0xf4, 0x8f, 0xbf], [0xe0, 0xa0], [0xe0, 0xa0, 0x22],
  ].forEach(add);
  const pool = [0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x20, 0x22, 0x2f, 0x5c, 0x41,
                0x7a, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xf0,
                0xf4, 0xf5, 0xff];
  for (let i = 0; i < 150; i++) {                 // random mixes of tricky bytes
    const len = 1 + randInt(12), bytes = [];
    for (let j = 0; j < len; j++) bytes.push(pool[randInt(pool.length)]);
    add(bytes);
  }
  for (let i = 0; i < 60; i++) {                  // random valid text with code points
    let s = '';
    const len = 1 + randInt(8);
    for (let j = 0; j < len; j++) {
      const r = randInt(4);
      let cp = r === 0 ? randInt(0x80) : r === 1 ? 0x80 + randInt(0x780)
             : r === 2 ? 0x800 + randInt(0xf800) : 0x10000 + randInt(0x100000);
      if (cp >= 0xd800 && cp < 0xe000) cp = 0x41;
      s += String.fromCodePoint(cp);
    }
    add(utf8(s));
  }
  return out;
}

// ---- C output ---------------------------------------------------------------
// Bytes as a C string literal: printable ASCII as is, everything else as 3-digit
// octal (never \x, which would swallow a following hex digit), '?' escaped so no
// trigraph can form.
function cString(buf) {
  let s = '"';
  for (const b of buf) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f) s += String.fromCharCode(b);
    else s += '\\' + b.toString(8).padStart(3, '0');
  }
  return s + '"';
}

function jsDecode(buf) {
  const a = new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf); // keep a BOM: it is data
  const b = buf.toString('utf8');
  if (a !== b) throw new Error('TextDecoder and Buffer disagree on ' + buf.toString('hex'));
  return a;
}

function tables() {
  const lines = [];
  lines.push('static const struct { uint64_t bits; const char *expect; } double_cases[] = {');
  for (const d of doubleCases())
    lines.push(`    { UINT64_C(0x${toBits(d).toString(16).padStart(16, '0')}), ${cString(Buffer.from(JSON.stringify(d)))} },`);
  lines.push('};');
  lines.push('');
  lines.push('static const struct { const char *in; size_t in_len; const char *expect; size_t expect_len; } string_cases[] = {');
  for (const buf of stringCases()) {
    const exp = Buffer.from(JSON.stringify(jsDecode(buf)), 'utf8');
    lines.push(`    { ${cString(buf)}, ${buf.length}, ${cString(exp)}, ${exp.length} },`);
  }
  lines.push('};');
  return lines.join('\n') + '\n';
}

const args = process.argv.slice(2);
if (args[0] === '--update') {
  const file = args[1];
  const text = fs.readFileSync(file, 'utf8');
  const begin = '/* BEGIN GENERATED by gen_json_cases.js */\n';
  const end = '/* END GENERATED */';
  const i = text.indexOf(begin), j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error('no generated region in ' + file);
  fs.writeFileSync(file, text.slice(0, i + begin.length) + tables() + text.slice(j));
} else if (args[0] === '--bulk') {
  const n = Number(args[1] || 100000), out = [];
  for (let i = 0; i < n; i++) {
    const r = randInt(5);
    let bits;
    if (r === 4) { // a short decimal, anywhere in range (subnormals included)
      let s = String(1 + randInt(9));
      for (let j = randInt(17); j > 0; j--) s += randInt(10);
      bits = toBits(Number(s + 'e' + (randInt(640) - 330)));
    } else {
      bits = r === 0 ? rand64() : r === 1 ? withExp(randInt(2), rand64())
           : r === 2 ? withExp(randInt(2047), 0n) | (rand64() & 7n) : withExp(randInt(2047), rand64());
    }
    const d = fromBits(bits);
    out.push(bits.toString(16).padStart(16, '0') + ' ' + JSON.stringify(d));
  }
  process.stdout.write(out.join('\n') + '\n');
} else {
  process.stdout.write(tables());
}
