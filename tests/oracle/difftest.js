#!/usr/bin/env node
/*
 * difftest.js -- differential tester: random scenarios through the REAL
 * Sequelize 6 (tests/oracle/node_modules) and through relate, compared.
 *
 * A development tool, NOT part of the test command (ctest never runs Node).
 * When it finds a relate bug, fix it and add a scenario under scenarios/
 * (generate.js records Sequelize's outputs) so test_oracle keeps checking it.
 *
 * Each scenario is generated from a seeded RNG (same seed, same scenario):
 *   - 2 to 5 models: random attribute types (every DataTypes relate knows),
 *     allowNull, unique, defaultValue, field; custom primary keys (INTEGER with
 *     or without autoIncrement, BIGINT, STRING, UUID, with or without field);
 *     underscored, freezeTableName, tableName, timestamps: false,
 *     name: { singular, plural }; some models serve as junction models;
 *   - association calls of all four kinds: as (string or {singular, plural}),
 *     foreignKey (string or object), sourceKey/targetKey on unique attributes,
 *     through (string, model, { model, unique: false }), otherKey, onDelete,
 *     onUpdate, constraints: false, self-associations, inverse pairs;
 *   - data steps (generate.js's format): creates, updates, destroys and
 *     association methods (set/add/remove/create, junction values);
 *   - find options: where (every operator relate's CLI takes, and/or/not),
 *     attributes, include trees (required, where, attributes, through),
 *     order (nested paths; included columns first when there is no limit),
 *     limit/offset.
 *
 * Kept out on purpose (SEMANTICS.md "Where relate differs"): inverse pairs
 * (X.hasOne|hasMany(Y) + Y.belongsTo(X), the only such pair) are generated
 * only so that Sequelize also makes one column with one set of rules (the same
 * explicit options on both sides, or on the first-declared side only, or none
 * at all with equal default names) -- rule 1; FK cycles are left out (rule 6);
 * with limit/offset the order starts with top-level items ending in the
 * primary key, so the page is the same whichever way it is picked (the
 * documented paging difference); two associations of a model with one name
 * are not generated (rule 2). Scenarios Sequelize rejects (at define or sync)
 * are skipped and counted.
 *
 * Also kept out, because Sequelize's result there is an accident of its
 * implementation (listed in the report of the run that found them, not in
 * SEMANTICS.md):
 *   - a hasOne whose source has several target rows: Sequelize repeats the
 *     parent once per target when no to-many include dedups the join, and
 *     its set/create act on whichever row findOne returns (relate: one
 *     parent, the first target; set unlinks every other);
 *   - calling an association method whose accessor name another
 *     association of the model also has (createAddress of a belongsToMany
 *     and of a belongsTo: Sequelize keeps the first one's);
 *   - with limit/offset, a required include below one that is not required:
 *     Sequelize's subquery then drops the top-level rows without a match
 *     (without limit it keeps them, as relate always does);
 *   - with limit/offset, a required belongsToMany include of the queried
 *     model itself (a self-association): Sequelize's subquery aliases the
 *     target as the queried model and keeps only rows linked to themselves;
 *   - nested create: rows nested under a belongsToMany element other than
 *     belongsTo parents (Sequelize's save() skips them), and sibling rows
 *     without explicit keys (Sequelize saves siblings concurrently, so the
 *     order of their serial ids depends on their round trips).
 *
 * Per scenario, compared:
 *   1. schema: `relate sync --force` on a fresh PostgreSQL database vs
 *      Sequelize's sync({ force: true }), both read back from
 *      information_schema (generate.js's dumpSchema: columns in order with
 *      types, nullability and defaults, primary key, unique, foreign keys and
 *      their rules);
 *   2. DDL: `relate ddl --dialect postgres --force` vs the DROP/CREATE
 *      statements Sequelize's sync logged, after test_ddl.c's cosmetic
 *      normalisation (whitespace, ("a","b") spacing);
 *   3. queries through the command: `relate find` on the database Sequelize
 *      filled (timestamps fixed with raw SQL) vs
 *      JSON.stringify(rows.map(r => r.toJSON())) of Model.findAll;
 *   4. data steps, tables and queries through the C API on PostgreSQL AND on
 *      SQLite: the scenarios are written as an oracle folder (scenarios/ +
 *      expected/, as generate.js writes them) and test_oracle runs on it
 *      (ORACLE_DIR), which replays the steps with relate's association methods
 *      and compares tables and JSON (SQLite modulo the documented per-engine
 *      differences: BIGINT/DECIMAL as numbers);
 *   5. nested create: `relate create` of random trees (rows with nested
 *      associated rows) vs Model.create(values, { include }) -- the tables
 *      afterwards, and the queries on them.
 *
 * Usage (from tests/oracle/, with `npm ci` done and a PostgreSQL running):
 *
 *   node difftest.js [--seed N] [--count N] [--batch N] [--keep DIR]
 *                    [--no-capi] [--no-create] [--only-seed N] [--verbose]
 *
 *   --seed N      first seed (default 1); scenario k uses seed N+k
 *   --count N     number of scenarios (default 50)
 *   --batch N     scenarios per test_oracle run (default 40, at least 16)
 *   --keep DIR    write every scenario (and the oracle folder) under DIR
 *   --no-capi     skip step 4 (test_oracle); --no-create skips step 5
 *   --only-seed N run one scenario and print it in full
 *
 * Environment:
 *   ORACLE_PGHOST/ORACLE_PGPORT/ORACLE_PGUSER   the PostgreSQL (as generate.js)
 *   RELATE_BIN          the relate command (default ../../build/tools/relate)
 *   RELATE_ORACLE_TEST  test_oracle's binary
 *                       (default ../../build/tests/integration/integration_test_oracle)
 *
 * Output: one block per mismatch with a minimal repro (the .rel text, the
 * data steps, the query options, both outputs), then a summary by category.
 * Exit status 0 when nothing differs, 1 otherwise.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { Sequelize, DataTypes } = require('sequelize');
const { Client } = require('pg');
const G = require('./generate.js');

const HERE = __dirname;
const RELATE = process.env.RELATE_BIN || path.resolve(HERE, '../../build/tools/relate');
const ORACLE_TEST = process.env.RELATE_ORACLE_TEST ||
  path.resolve(HERE, '../../build/tests/integration/integration_test_oracle');
const PG = G.PG;
const PG_URL = (db) => `postgres://${PG.user}@${PG.host}:${PG.port}/${db}`;

/* ------------------------------------------------------------------ RNG */

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) { this.next = mulberry32(seed * 2654435761); }
  chance(p) { return this.next() < p; }
  int(lo, hi) { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick(arr) { return arr[Math.floor(this.next() * arr.length)]; }
  shuffle(arr) {
    const a = arr.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
  some(arr, lo, hi) { return this.shuffle(arr).slice(0, this.int(lo, Math.min(hi, arr.length))); }
  hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)]; return s; }
  uuid(upper) {
    const u = `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
    return upper ? u.toUpperCase() : u;
  }
}

/* ------------------------------------------------------------ the models */

const MODEL_NAMES = [
  'User', 'Person', 'Category', 'Box', 'Tag', 'Item', 'Status', 'Child', 'Project', 'Leaf',
  'Mouse', 'Address', 'Company', 'Story', 'Quiz', 'Hero', 'Movie', 'Wish', 'Sheep', 'Matrix',
  'Analysis', 'Goose', 'Ox', 'Bus', 'Photo', 'Datum', 'user_account', 'bookEntry', 'team',
  'Octopus', 'Alias', 'Vertex', 'Knife', 'Fish', 'Volunteer', 'Equipment',
];
const JUNCTION_MODEL_NAMES = ['Membership', 'Enrollment', 'Grant', 'Vote', 'Pairing'];
const THROUGH_STRINGS = ['Links', 'item_tags', 'Assignments', 'Follows', 'JoinRows', 'pairs_xy'];
const ATTR_NAMES = [
  'title', 'label', 'score', 'amount', 'rating', 'note', 'isActive', 'bornOn', 'day', 'token',
  'payload', 'blobData', 'bigCount', 'price', 'color', 'rank', 'weight', 'memo', 'seenAt',
  'ratio', 'nickName', 'level',
];
const TO_ONE_ALIASES = ['owner', 'boss', 'mentor', 'home', 'leader', 'Captain', 'guide', 'keeper'];
const TO_MANY_ALIASES = ['members', 'helpers', 'pals', 'mates', 'Followers', 'crew', 'fans', 'Picks'];
const FK_NAMES = ['ownerRef', 'parentRef', 'holderKey', 'refId', 'linkId', 'boss_id', 'hostId', 'fkA',
  'fkB', 'anchorNo'];
const RULES = ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT'];
const WORDS = ['alpha', 'Beta', 'gamma', "O'Brien", 'naïve', 'a%b', 'A_b', '', 'Zed', 'zed', 'x y',
  'Ünïcödé', 'back\\slash', 'quote"d', 'tab\tbed', 'émile', 'Alpha', 'b', 'B'];

function typeExpr(t) {
  switch (t.key) {
    case 'STRING': return t.len ? `STRING(${t.len})` : 'STRING';
    case 'DECIMAL': return t.p ? `DECIMAL(${t.p}, ${t.s})` : 'DECIMAL';
    default: return t.key;
  }
}

function randomType(rng) {
  const k = rng.pick(['INTEGER', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'STRING',
    'STRING', 'STRING', 'TEXT', 'BOOLEAN', 'DATE', 'DATEONLY', 'UUID', 'BLOB', 'JSON']);
  if (k === 'STRING') return { key: k, len: rng.chance(0.3) ? rng.pick([12, 40, 100]) : 0 };
  if (k === 'DECIMAL') return rng.chance(0.8) ? { key: k, p: 10, s: 2 } : { key: k, p: 0, s: 0 };
  return { key: k };
}

/* A value of a type; n > 0 makes it distinct (unique columns). */
function randomValue(rng, t, n) {
  const u = n !== undefined;
  switch (t.key) {
    case 'INTEGER': return u ? 10 + n * 7 : rng.int(-5, 40);
    case 'BIGINT':
      if (u) return rng.chance(0.5) ? String(9007199254740990n + BigInt(n * 3)) : 1000 + n;
      return rng.chance(0.3) ? String(9007199254740993n + BigInt(rng.int(0, 5))) : rng.int(-3, 30);
    case 'FLOAT':
    case 'DOUBLE': return rng.pick([0.5, 1.25, 3.14159, -2.75, 100, 0.1, 1e-7, 12345.678, 0, 2.5, 1e21]) + (u ? n : 0);
    case 'DECIMAL':
      if (u) return `${n}.25`;
      return rng.chance(0.5) ? rng.pick(['12.50', '0.01', '-3.10', '99.99', '7']) : rng.pick([12.5, 3, 0.25]);
    case 'STRING': {
      let s = u ? `${rng.pick(['k', 'K', 'v'])}${n}` : rng.pick(WORDS);
      if (t.len && s.length > t.len) s = s.slice(0, t.len);
      return s;
    }
    case 'TEXT': return u ? `text ${n}` : rng.pick(WORDS) + rng.pick(['', ' and more', '\nline two']);
    case 'BOOLEAN': return rng.chance(0.5);
    case 'DATE': {
      const d = `20${rng.int(10, 30)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}T0${rng.int(0, 9)}:${rng.int(10, 59)}:${rng.int(10, 59)}`;
      return rng.pick([`${d}.${rng.int(100, 999)}Z`, `${d}Z`, `${d}.5Z`]) ;
    }
    case 'DATEONLY': return `20${rng.int(10, 30)}-0${rng.int(1, 9)}-${rng.int(10, 28)}`;
    case 'UUID': return rng.uuid(false);
    case 'BLOB': return { type: 'Buffer', data: rng.some([104, 105, 0, 255, 10, 34, 92], 0, 4) };
    case 'JSON': return rng.pick([{ a: 1, b: [true, 'x'] }, [1, 2, 3], 'str', 42, { z: null, a: { n: 1.5 } }, []]);
    default: throw new Error('type ' + t.key);
  }
}

function literal(v) {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

/* JS source for an object of options (keys as identifiers). */
function objText(o) {
  const parts = [];
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    let text;
    if (v && v.__raw) text = v.__raw;
    else if (v && typeof v === 'object' && !Array.isArray(v)) text = objText(v);
    else text = literal(v);
    parts.push(`${k}: ${text}`);
  }
  return `{ ${parts.join(', ')} }`;
}
const raw = (s) => ({ __raw: s });

function genModels(rng) {
  const n = rng.int(2, 5);
  const names = rng.some(MODEL_NAMES, n, n);
  const models = [];
  const usedTables = new Set();
  for (const name of names) {
    const m = { name, attrs: [], opts: {}, pk: null, junction: false };
    if (rng.chance(0.2)) m.opts.underscored = true;
    if (rng.chance(0.15)) m.opts.freezeTableName = true;
    else if (rng.chance(0.1)) m.opts.tableName = 't_' + name.toLowerCase();
    if (rng.chance(0.25)) m.opts.timestamps = false;
    if (rng.chance(0.08)) m.opts.name = { singular: 'guy' + name, plural: 'guys' + name };
    if (m.opts.tableName) {
      if (usedTables.has(m.opts.tableName)) delete m.opts.tableName;
      else usedTables.add(m.opts.tableName);
    }
    // primary key
    const pk = rng.next();
    if (pk < 0.5) m.pk = null;
    else if (pk < 0.58) m.pk = { name: 'num', type: { key: 'INTEGER' }, autoIncrement: true };
    else if (pk < 0.66) m.pk = { name: 'code', type: { key: 'INTEGER' } };
    else if (pk < 0.8) m.pk = { name: 'slug', type: { key: 'STRING', len: rng.chance(0.5) ? 20 : 0 } };
    else if (pk < 0.92) m.pk = { name: 'uid', type: { key: 'UUID' } };
    else m.pk = { name: 'id', type: { key: 'BIGINT' }, autoIncrement: true };
    if (m.pk && rng.chance(0.15)) m.pk.field = m.pk.name + '_col';
    if (m.pk && rng.chance(0.15)) m.pk.allowNull = false;
    const attrNames = rng.some(ATTR_NAMES, 1, 4);
    for (const an of attrNames) {
      const a = { name: an, type: randomType(rng) };
      const comparable = !['BLOB', 'JSON', 'TEXT'].includes(a.type.key);
      if (rng.chance(0.15)) a.allowNull = false;
      else if (rng.chance(0.05)) a.allowNull = true;
      if (comparable && ['INTEGER', 'STRING', 'UUID', 'BIGINT'].includes(a.type.key) && rng.chance(0.3)) a.unique = true;
      if (rng.chance(0.2) && !a.unique && a.type.key !== 'BLOB') a.defaultValue = randomValue(rng, a.type);
      if (rng.chance(0.12)) a.field = rng.chance(0.5) ? 'col_' + an.toLowerCase() : an.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
      m.attrs.push(a);
    }
    models.push(m);
  }
  return models;
}

function modelText(m) {
  const attrs = {};
  if (m.pk) {
    const d = { type: raw(typeExpr(m.pk.type)), primaryKey: true };
    if (m.pk.autoIncrement) d.autoIncrement = true;
    if (m.pk.field) d.field = m.pk.field;
    if (m.pk.allowNull === false) d.allowNull = false;
    attrs[m.pk.name] = d;
  }
  for (const a of m.attrs) {
    const simple = a.allowNull === undefined && !a.unique && a.defaultValue === undefined && !a.field;
    if (simple && Math.abs(a.name.length % 3) === 0) {
      attrs[a.name] = raw(typeExpr(a.type));
      continue;
    }
    const d = { type: raw(typeExpr(a.type)) };
    if (a.allowNull !== undefined) d.allowNull = a.allowNull;
    if (a.unique) d.unique = true;
    if (a.defaultValue !== undefined) d.defaultValue = a.defaultValue;
    if (a.field) d.field = a.field;
    attrs[a.name] = d;
  }
  const opts = Object.keys(m.opts).length ? ', ' + objText(m.opts) : '';
  return `const ${m.name} = define('${m.name}', ${objText(attrs)}${opts});`;
}

/* Unique attributes that can be referenced as sourceKey/targetKey. */
function keyAttrs(m) {
  return m.attrs.filter((a) => a.unique && ['INTEGER', 'STRING', 'UUID', 'BIGINT'].includes(a.type.key));
}

/* ------------------------------------------------------ the associations */

function genAssocs(rng, models) {
  const calls = [];
  const junctions = [];
  const usedFk = new Map(); // holder name -> Set of explicit FK names
  const usedAs = new Map(); // source name -> Set of aliases
  const usedThrough = new Set();
  const takeFk = (holder) => {
    const set = usedFk.get(holder.name) || new Set();
    usedFk.set(holder.name, set);
    const free = FK_NAMES.filter((f) => !set.has(f));
    const f = rng.pick(free);
    set.add(f);
    return f;
  };
  const takeAs = (src, pool) => {
    const set = usedAs.get(src.name) || new Set();
    usedAs.set(src.name, set);
    const free = pool.filter((f) => !set.has(f));
    if (!free.length) return null;
    const f = rng.pick(free);
    set.add(f);
    return f;
  };
  const rules = (o) => {
    if (rng.chance(0.15)) o.onDelete = rng.pick(RULES);
    if (rng.chance(0.15)) o.onUpdate = rng.pick(RULES);
  };
  const fkOpt = (holder, allowNotNull) => {
    const name = takeFk(holder);
    const r = rng.next();
    if (r < 0.7) return name;
    const o = { name };
    if (allowNotNull && rng.chance(0.5)) o.allowNull = false;
    if (rng.chance(0.4)) o.field = name.toLowerCase() + '_c';
    return o;
  };
  const nrel = rng.int(1, 5);
  for (let i = 0; i < nrel; i++) {
    const kind = rng.pick(['pair', 'pair', 'has', 'belongsTo', 'btm', 'btm', 'self']);
    const xi = rng.int(0, models.length - 1);
    let yi = rng.int(0, models.length - 1);
    if (kind !== 'self' && yi === xi) yi = (xi + 1) % models.length;
    const X = models[xi], Y = models[yi];
    if (kind === 'pair' || kind === 'has') {
      const many = rng.chance(0.6);
      const method = many ? 'hasMany' : 'hasOne';
      const h = {}, b = {};
      const explicit = kind === 'pair' ? rng.chance(0.6) : rng.chance(0.4);
      // NOT NULL only when X is created before Y (no cycles of NOT NULL keys)
      const notNullOk = xi < yi;
      if (explicit) {
        const fk = fkOpt(Y, notNullOk);
        h.foreignKey = fk;
        if (kind === 'pair') b.foreignKey = fk;
        const ks = keyAttrs(X);
        if (ks.length && rng.chance(0.3)) {
          h.sourceKey = rng.pick(ks).name;
          if (kind === 'pair') b.targetKey = h.sourceKey;
        }
      } else if (kind === 'has') {
        const ks = keyAttrs(X);
        if (ks.length && rng.chance(0.2)) h.sourceKey = rng.pick(ks).name;
      }
      if (kind === 'has' || explicit || many) {
        if (rng.chance(0.35)) h.as = takeAs(X, many ? TO_MANY_ALIASES : TO_ONE_ALIASES) || undefined;
        if (h.as && !explicit && kind === 'pair' && !many) delete h.as;
      }
      if (kind === 'pair' && explicit && rng.chance(0.35)) b.as = takeAs(Y, TO_ONE_ALIASES) || undefined;
      const hFirst = rng.chance(0.6);
      const first = hFirst ? h : b, second = hFirst ? b : h;
      rules(first);
      if (kind === 'pair') {
        if (first.onDelete && rng.chance(0.5)) second.onDelete = first.onDelete;
        if (first.onUpdate && rng.chance(0.5)) second.onUpdate = first.onUpdate;
        if (rng.chance(0.07)) { h.constraints = false; b.constraints = false; }
      } else if (rng.chance(0.07)) h.constraints = false;
      const hc = { src: X, method, tgt: Y, opts: h, pairTag: kind === 'pair' ? i : null };
      const bc = { src: Y, method: 'belongsTo', tgt: X, opts: b, pairTag: i };
      if (kind === 'pair') calls.push(...(hFirst ? [hc, bc] : [bc, hc]));
      else calls.push(hc);
    } else if (kind === 'belongsTo') {
      const o = {};
      if (rng.chance(0.4)) o.as = takeAs(X, TO_ONE_ALIASES) || undefined;
      if (rng.chance(0.4)) o.foreignKey = fkOpt(X, yi < xi);
      const ks = keyAttrs(Y);
      if (ks.length && rng.chance(o.foreignKey ? 0.3 : 0.15)) o.targetKey = rng.pick(ks).name;
      rules(o);
      if (rng.chance(0.07)) o.constraints = false;
      calls.push({ src: X, method: 'belongsTo', tgt: Y, opts: o, pairTag: null });
    } else if (kind === 'self') {
      const r = rng.next();
      if (r < 0.4) {
        const fk = takeFk(X);
        const h = { as: takeAs(X, TO_MANY_ALIASES) || undefined, foreignKey: fk };
        const b = { as: takeAs(X, TO_ONE_ALIASES) || undefined, foreignKey: fk };
        rules(h);
        calls.push({ src: X, method: 'hasMany', tgt: X, opts: h, pairTag: 's' + i });
        calls.push({ src: X, method: 'belongsTo', tgt: X, opts: b, pairTag: 's' + i });
      } else if (r < 0.7) {
        const o = { as: takeAs(X, TO_ONE_ALIASES) || undefined };
        if (!o.as) continue;
        if (rng.chance(0.3)) o.foreignKey = takeFk(X);
        rules(o);
        calls.push({ src: X, method: 'belongsTo', tgt: X, opts: o, pairTag: null });
      } else {
        const as = takeAs(X, TO_MANY_ALIASES);
        if (!as) continue;
        const through = rng.pick(THROUGH_STRINGS.filter((t) => !usedThrough.has(t)));
        usedThrough.add(through);
        const o = { as, through };
        rules(o);
        calls.push({ src: X, method: 'belongsToMany', tgt: X, opts: o, pairTag: null });
      }
    } else {
      // belongsToMany, maybe with its inverse through the same junction
      let through, throughText, jm = null;
      const r = rng.next();
      if (r < 0.5) {
        through = rng.pick(THROUGH_STRINGS.filter((t) => !usedThrough.has(t)));
        usedThrough.add(through);
        throughText = through;
      } else {
        const jname = rng.pick(JUNCTION_MODEL_NAMES.filter((t) => !usedThrough.has(t)));
        usedThrough.add(jname);
        jm = { name: jname, attrs: [], opts: {}, pk: null, junction: true };
        if (rng.chance(0.4)) jm.pk = { name: 'id', type: { key: 'INTEGER' }, autoIncrement: true };
        if (rng.chance(0.3)) jm.opts.timestamps = false;
        if (rng.chance(0.2)) jm.opts.underscored = true;
        for (const an of rng.some(['role', 'since', 'weight'], 0, 2)) {
          jm.attrs.push({ name: an, type: an === 'role' ? { key: 'STRING' } : an === 'since' ? { key: 'DATEONLY' } : { key: 'INTEGER' } });
        }
        junctions.push(jm);
        through = jname;
        throughText = rng.chance(0.3) && jm.pk ? raw(`{ model: ${jname}, unique: false }`) : raw(jname);
      }
      const a = { through: throughText }, b = { through: throughText };
      if (rng.chance(0.3)) {
        a.as = takeAs(X, TO_MANY_ALIASES) || undefined;
        if (a.as && rng.chance(0.2)) a.as = raw(`{ singular: '${a.as}One', plural: '${a.as}' }`);
      }
      if (rng.chance(0.25)) {
        a.foreignKey = 'left' + X.name.replace(/_/g, '');
        a.otherKey = 'right' + Y.name.replace(/_/g, '');
        b.foreignKey = a.otherKey;
        b.otherKey = a.foreignKey;
      }
      const ksx = keyAttrs(X), ksy = keyAttrs(Y);
      if (ksx.length && rng.chance(0.2)) { a.sourceKey = rng.pick(ksx).name; b.targetKey = a.sourceKey; }
      if (ksy.length && rng.chance(0.2)) { a.targetKey = rng.pick(ksy).name; b.sourceKey = a.targetKey; }
      // rules: on both halves alike, on one of them, or different ones
      // (each half's rule is for the key pointing at its own model)
      rules(a);
      const rr = rng.next();
      if (rr < 0.4) {
        if (a.onDelete) b.onDelete = a.onDelete;
        if (a.onUpdate) b.onUpdate = a.onUpdate;
      } else if (rr < 0.7) {
        rules(b);
      }
      if (rng.chance(0.05)) a.constraints = false;
      if (rng.chance(0.05)) b.constraints = false;
      calls.push({ src: X, method: 'belongsToMany', tgt: Y, opts: a, pairTag: null, through });
      if (rng.chance(0.6)) {
        if (rng.chance(0.3)) b.as = takeAs(Y, TO_MANY_ALIASES) || undefined;
        calls.push({ src: Y, method: 'belongsToMany', tgt: X, opts: b, pairTag: null, through });
      }
    }
  }
  return { calls, junctions };
}

function assocText(c) {
  const opts = Object.keys(c.opts).filter((k) => c.opts[k] !== undefined).length ? ', ' + objText(c.opts) : '';
  return `${c.src.name}.${c.method}(${c.tgt.name}${opts});`;
}

/* Whether relate's pairing (pairing.c: X's only hasOne/hasMany of Y with Y's
 * only belongsTo of X) only pairs calls generated as pairs. */
function pairingSafe(calls) {
  for (const h of calls) {
    if (h.method !== 'hasOne' && h.method !== 'hasMany') continue;
    const hs = calls.filter((x) => (x.method === 'hasOne' || x.method === 'hasMany') && x.src === h.src && x.tgt === h.tgt);
    const bs = calls.filter((x) => x.method === 'belongsTo' && x.src === h.tgt && x.tgt === h.src);
    if (hs.length === 1 && bs.length === 1) {
      if (h.pairTag === null || h.pairTag !== bs[0].pairTag) return false;
    } else if (h.pairTag !== null) {
      // generated as a pair but relate will not pair it: first-wins merging
      // differs only if options are on the second side; keep it simple
      const b = calls.find((x) => x.pairTag === h.pairTag && x !== h);
      if (b && JSON.stringify(b.opts) !== JSON.stringify(h.opts)) {
        const first = calls.indexOf(h) < calls.indexOf(b) ? h : b;
        const second = first === h ? b : h;
        if (second.opts.onDelete !== first.opts.onDelete || second.opts.onUpdate !== first.opts.onUpdate) return false;
      }
    }
  }
  return true;
}

function genSchema(rng) {
  const models = genModels(rng);
  const { calls, junctions } = genAssocs(rng, models);
  const lines = [`// difftest scenario`];
  const all = models.concat(junctions);
  // junction models first or last: both are valid model files
  const order = rng.chance(0.5) ? all : junctions.concat(models);
  for (const m of order) lines.push(modelText(m));
  for (const c of calls) lines.push(assocText(c));
  return { models, junctions, calls, rel: lines.join('\n') + '\n' };
}

/* ------------------------------------------- Sequelize's view of a schema */

function defineOnly(rel) {
  const sequelize = new Sequelize('postgres://nobody@127.0.0.1:1/none', { logging: false });
  G.evalModelFile(sequelize, rel);
  return sequelize;
}

function attrType(attr) {
  const t = attr.type;
  let key = t.key || t.constructor.key;
  if (key === 'DOUBLE PRECISION') key = 'DOUBLE';
  return { key, len: t.options && t.options.length };
}

/* Every association has a distinct name per source (rule 2: Sequelize would
 * silently replace one) and every name differs from the attributes. */
function namesDistinct(sequelize, calls) {
  for (const m of Object.values(sequelize.models)) {
    const n = calls.filter((c) => c.src.name === m.name).length;
    if (Object.keys(m.associations).length !== n) return false;
  }
  return true;
}

/* Rule 1: what relate pairs (X's only hasOne/hasMany of Y with Y's only
 * belongsTo of X) must be one column in Sequelize too: the same foreign key
 * and the same key. */
function sameKeysInPairs(sequelize) {
  const all = [];
  for (const m of Object.values(sequelize.models)) all.push(...Object.values(m.associations));
  for (const h of all) {
    if (h.associationType !== 'HasOne' && h.associationType !== 'HasMany') continue;
    const hs = all.filter((x) => (x.associationType === 'HasOne' || x.associationType === 'HasMany') &&
      x.source === h.source && x.target === h.target);
    const bs = all.filter((x) => x.associationType === 'BelongsTo' && x.source === h.target && x.target === h.source);
    if (hs.length !== 1 || bs.length !== 1) continue;
    if (h.foreignKey !== bs[0].foreignKey || h.sourceKey !== bs[0].targetKey) return false;
  }
  return true;
}

/* Whether the tables' REFERENCES (self-references aside) form a cycle:
 * Sequelize then adds the keys with ALTER TABLE and drops the junctions'
 * (SEMANTICS.md "Where relate differs" rule 6). */
function hasCycle(sequelize) {
  const edges = new Map();
  for (const m of Object.values(sequelize.models)) {
    const from = m.getTableName();
    for (const a of Object.values(m.rawAttributes)) {
      if (!a.references) continue;
      const to = typeof a.references.model === 'string' ? a.references.model : a.references.model.tableName || a.references.model;
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(String(to));
    }
  }
  const state = new Map();
  const visit = (n) => {
    if (state.get(n) === 1) return true;
    if (state.get(n) === 2) return false;
    state.set(n, 1);
    for (const t of edges.get(n) || []) if (visit(t)) return true;
    state.set(n, 2);
    return false;
  };
  for (const n of edges.keys()) if (visit(n)) return true;
  return false;
}

/* ------------------------------------------------------------- the data */

function isFkOf(model, attr) {
  for (const m of Object.values(model.sequelize.models)) {
    for (const a of Object.values(m.associations)) {
      if (a.associationType === 'BelongsTo' && a.source === model && a.foreignKey === attr) return true;
      if ((a.associationType === 'HasMany' || a.associationType === 'HasOne') && a.target === model && a.foreignKey === attr) return true;
      if (a.associationType === 'BelongsToMany' && a.throughModel === model && (a.foreignKey === attr || a.otherKey === attr)) return true;
    }
  }
  return false;
}

/* Where a NOT NULL foreign key of model points: [{attr, model, key}]. */
function notNullFks(model) {
  const out = [];
  for (const [name, attr] of Object.entries(model.rawAttributes)) {
    if (attr.allowNull !== false || attr.primaryKey || !isFkOf(model, name)) continue;
    const ref = findRef(model, name);
    if (ref) out.push({ attr: name, ...ref });
  }
  return out;
}

function findRef(model, attr) {
  for (const m of Object.values(model.sequelize.models)) {
    for (const a of Object.values(m.associations)) {
      if (a.associationType === 'BelongsTo' && a.source === model && a.foreignKey === attr) return { model: a.target, key: a.targetKey };
      if ((a.associationType === 'HasMany' || a.associationType === 'HasOne') && a.target === model && a.foreignKey === attr) return { model: a.source, key: a.sourceKey };
    }
  }
  return null;
}

function isJunction(model) {
  for (const m of Object.values(model.sequelize.models))
    for (const a of Object.values(m.associations))
      if (a.associationType === 'BelongsToMany' && a.throughModel === model) return true;
  return false;
}

class DataGen {
  constructor(rng, sequelize) {
    this.rng = rng;
    this.sq = sequelize;
    this.rows = new Map(); // model name -> [{pk, values}]
    this.uniq = 0;
    this.steps = [];
  }

  pkValue(model, k) {
    const pk = model.rawAttributes[model.primaryKeyAttribute];
    const t = attrType(pk);
    if (t.key === 'UUID') return this.rng.uuid(this.rng.chance(0.1));
    if (t.key === 'STRING') return `${model.name.slice(0, 3).toLowerCase()}-${k}`;
    if (t.key === 'BIGINT') return k;
    if (pk.autoIncrement) return k;
    return 100 + k * 3;
  }

  /* Values for a new row of model (pk given, NOT NULL FKs pointing at rows
   * made before). null when a NOT NULL FK has nothing to point at. */
  rowValues(model, k) {
    const v = {};
    v[model.primaryKeyAttribute] = this.pkValue(model, k);
    for (const [name, attr] of Object.entries(model.rawAttributes)) {
      if (attr.primaryKey || attr._autoGenerated || ['createdAt', 'updatedAt'].includes(name)) continue;
      if (isFkOf(model, name)) continue;
      const t = attrType(attr);
      if (attr.unique) { v[name] = randomValue(this.rng, t, ++this.uniq); continue; }
      const must = attr.allowNull === false && attr.defaultValue === undefined;
      const r = this.rng.next();
      if (must || r < 0.75) v[name] = randomValue(this.rng, t);
      else if (r < 0.87 && attr.allowNull !== false) v[name] = null;
    }
    for (const fk of notNullFks(model)) {
      const rows = this.rows.get(fk.model.name) || [];
      const withKey = rows.filter((r) => r.values[fk.key] !== null && r.values[fk.key] !== undefined);
      if (!withKey.length) return null;
      v[fk.attr] = this.rng.pick(withKey).values[fk.key];
    }
    return v;
  }

  create(model, k) {
    const values = this.rowValues(model, k);
    if (!values) return false;
    this.steps.push({ create: model.name, values });
    const list = this.rows.get(model.name) || [];
    list.push({ pk: values[model.primaryKeyAttribute], values });
    this.rows.set(model.name, list);
    return true;
  }

  ids(model) {
    return (this.rows.get(model.name) || []).map((r) => r.pk);
  }

  gen() {
    const models = Object.values(this.sq.models).filter((m) => !isJunction(m));
    // parents of NOT NULL keys first (generation keeps them acyclic)
    const ordered = [];
    const seen = new Set();
    const visit = (m, depth) => {
      if (seen.has(m) || depth > 10) return;
      seen.add(m);
      for (const fk of notNullFks(m)) if (fk.model !== m) visit(fk.model, depth + 1);
      ordered.push(m);
    };
    for (const m of models) visit(m, 0);
    const next = new Map();
    for (const m of ordered) {
      const n = this.rng.int(2, 5);
      for (let k = 1; k <= n; k++) this.create(m, k);
      next.set(m.name, n + 1);
    }
    // association methods
    const assocs = [];
    for (const m of models) for (const a of Object.values(m.associations)) assocs.push(a);
    const nlinks = this.rng.int(assocs.length, assocs.length * 3);
    for (let i = 0; i < nlinks && assocs.length; i++) {
      const a = this.rng.pick(assocs);
      // Sequelize mixes accessors in once per name: createAddress of a
      // belongsToMany (singular) and of a belongsTo are the same method, the
      // first association's. relate reaches methods by association.
      const others = Object.values(a.source.associations).filter((x) => x !== a);
      const taken = new Set(others.flatMap((x) => Object.values(x.accessors)));
      const usable = (m) => !taken.has(a.accessors[m]);
      const srcIds = this.ids(a.source), tgtIds = this.ids(a.target);
      if (!srcIds.length) continue;
      const id = this.rng.pick(srcIds);
      const step = { link: a.source.name, id, association: a.as };
      const throughVals = () => {
        if (a.associationType !== 'BelongsToMany') return undefined;
        const own = Object.entries(a.throughModel.rawAttributes).filter(([n, at]) =>
          !at.primaryKey && !at._autoGenerated && n !== a.foreignKey && n !== a.otherKey && !['createdAt', 'updatedAt'].includes(n));
        if (!own.length || this.rng.chance(0.3)) return undefined;
        const v = {};
        for (const [n, at] of own) v[n] = randomValue(this.rng, attrType(at));
        return v;
      };
      const r = this.rng.next();
      if (r < 0.15) {
        if (!usable('create')) continue;
        const n = next.get(a.target.name) || 1;
        const values = this.rowValues(a.target, n);
        if (!values) continue;
        next.set(a.target.name, n + 1);
        step.method = 'create';
        step.values = values;
        const tv = throughVals();
        if (tv) step.through = tv;
        (this.rows.get(a.target.name) || this.rows.set(a.target.name, []).get(a.target.name))
          .push({ pk: values[a.target.primaryKeyAttribute], values });
      } else if (a.isSingleAssociation) {
        if (!usable('set')) continue;
        step.method = 'set';
        step.ids = tgtIds.length && this.rng.chance(0.85) ? this.rng.pick(tgtIds) : null;
      } else {
        if (!tgtIds.length) continue;
        step.method = this.rng.pick(['add', 'add', 'add', 'remove', 'set']);
        step.ids = this.rng.chance(0.3) ? this.rng.pick(tgtIds) : this.rng.some(tgtIds, step.method === 'set' ? 0 : 1, 3);
        const acc = { add: Array.isArray(step.ids) ? 'addMultiple' : 'add', remove: Array.isArray(step.ids) ? 'removeMultiple' : 'remove', set: 'set' }[step.method];
        if (!usable(acc)) continue;
        if (step.method !== 'remove') {
          const tv = throughVals();
          if (tv) step.through = tv;
        }
      }
      this.steps.push(step);
    }
    // updates and destroys
    for (let i = this.rng.int(0, 3); i > 0; i--) {
      const m = this.rng.pick(models);
      const ids = this.ids(m);
      if (!ids.length) continue;
      const id = this.rng.pick(ids);
      if (this.rng.chance(0.25)) {
        this.steps.push({ destroy: m.name, id });
        const list = this.rows.get(m.name);
        list.splice(list.findIndex((r) => r.pk === id), 1);
        continue;
      }
      const attrs = Object.entries(m.rawAttributes).filter(([n, at]) => !at.primaryKey && !at._autoGenerated &&
        !['createdAt', 'updatedAt'].includes(n) && !isFkOf(m, n));
      if (!attrs.length) continue;
      const [n, at] = this.rng.pick(attrs);
      const v = at.unique ? randomValue(this.rng, attrType(at), ++this.uniq)
        : at.allowNull === false || this.rng.chance(0.8) ? randomValue(this.rng, attrType(at)) : null;
      this.steps.push({ update: m.name, id, values: { [n]: v } });
      const row = this.rows.get(m.name).find((r) => r.pk === id);
      if (row) row.values[n] = v;
    }
    return this.steps;
  }
}

/* ---------------------------------------------------------- the queries */

const COMPARABLE = ['INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'STRING', 'TEXT', 'BOOLEAN',
  'DATE', 'DATEONLY', 'UUID'];

function plainAttrs(model) {
  return Object.entries(model.rawAttributes).map(([n, a]) => ({ name: n, attr: a, t: attrType(a) }));
}

class QueryGen {
  constructor(rng, sequelize, data, ambiguous) {
    this.rng = rng;
    this.sq = sequelize;
    this.data = data; // DataGen, for values that exist
    this.ambiguous = new Set([...ambiguous].map((a) => `${a.source.name}.${a.as}`));
  }

  assocsOf(model) {
    return Object.values(model.associations).filter((a) => !this.ambiguous.has(`${a.source.name}.${a.as}`));
  }

  sample(model, name, t) {
    const rows = (this.data.rows.get(model.name) || []).filter((r) => r.values[name] !== undefined && r.values[name] !== null);
    if (rows.length && this.rng.chance(0.7)) return this.rng.pick(rows).values[name];
    if (name === model.primaryKeyAttribute && rows.length) return this.rng.pick(rows).pk;
    return randomValue(this.rng, t);
  }

  cond(model, depth = 0) {
    const rng = this.rng;
    const attrs = plainAttrs(model).filter((x) => COMPARABLE.includes(x.t.key));
    if (!attrs.length) return {};
    if (depth < 2 && rng.chance(0.15)) {
      const op = rng.pick(['or', 'and']);
      return { [op]: [this.cond(model, depth + 1), this.cond(model, depth + 1)] };
    }
    if (depth < 2 && rng.chance(0.05)) return { not: this.cond(model, depth + 1) };
    const { name, t } = rng.pick(attrs);
    const v = () => this.sample(model, name, t);
    const ordered = !['BOOLEAN', 'UUID'].includes(t.key);
    const stringy = ['STRING', 'TEXT'].includes(t.key);
    const ops = ['eq', 'plain', 'ne', 'in', 'notIn', 'is', 'not', 'attrOr'];
    if (ordered) ops.push('gt', 'gte', 'lt', 'lte', 'between', 'notBetween');
    if (stringy) ops.push('like', 'notLike', 'like');
    const op = rng.pick(ops);
    switch (op) {
      case 'plain': return { [name]: rng.chance(0.15) ? null : v() };
      case 'in':
      case 'notIn': return { [name]: { [op]: rng.chance(0.1) ? [] : [v(), v(), v()].slice(0, rng.int(1, 3)) } };
      case 'is': return { [name]: { is: t.key === 'BOOLEAN' && rng.chance(0.6) ? rng.chance(0.5) : null } };
      case 'not': return { [name]: { not: rng.chance(0.4) ? null : t.key === 'BOOLEAN' ? rng.chance(0.5) : v() } };
      case 'between':
      case 'notBetween': {
        const a = v(), b = v();
        return { [name]: { [op]: [a, b] } };
      }
      case 'like':
      case 'notLike': return { [name]: { [op]: rng.pick(['%a%', 'A%', '%', '_', '%e', 'a\\%b', '%\\_%', 'B']) } };
      case 'attrOr': return { [name]: { [rng.pick(['or', 'and'])]: [{ ne: v() }, { eq: v() }] } };
      default: return { [name]: { [op]: op === 'eq' && rng.chance(0.1) ? null : v() } };
    }
  }

  where(model) {
    const n = this.rng.int(1, 2);
    const w = {};
    for (let i = 0; i < n; i++) Object.assign(w, this.cond(model));
    return w;
  }

  attrList(model, allowEmpty) {
    const names = Object.keys(model.rawAttributes);
    if (this.rng.chance(0.3)) return { exclude: this.rng.some(names, 1, 2) };
    return this.rng.some(names, allowEmpty ? 0 : 1, 3);
  }

  /* An include node for association a of parent; returns [entry, node]. */
  include(a, depth, parentModel) {
    const rng = this.rng;
    const node = { a, children: [] };
    const tgt = a.target;
    let entry;
    const r = rng.next();
    const plainName = !a.isAliased && Object.values(parentModel.associations).filter((x) => x.target === tgt && !x.isAliased).length === 1;
    if (r < 0.35) entry = a.as;
    else if (r < 0.45 && plainName) entry = tgt.name;
    else {
      entry = {};
      if (r < 0.55 && plainName) entry.model = tgt.name;
      else if (r < 0.62) { entry.model = tgt.name; entry.as = a.as; }
      else entry.association = a.as;
      if (rng.chance(0.2)) entry.required = true;
      else if (rng.chance(0.1)) entry.required = false;
      if (rng.chance(0.25)) {
        entry.where = this.where(tgt);
        if (rng.chance(0.3)) entry.required = false;
      }
      if (rng.chance(0.2)) entry.attributes = this.attrList(tgt, true);
      if (a.associationType === 'BelongsToMany' && rng.chance(0.35)) {
        entry.through = {};
        const jattrs = Object.keys(a.throughModel.rawAttributes);
        if (rng.chance(0.6)) entry.through.attributes = rng.chance(0.5) ? [] : rng.some(jattrs, 1, 2);
        const own = plainAttrs(a.throughModel).filter((x) => COMPARABLE.includes(x.t.key) && !x.attr._autoGenerated);
        if (own.length && rng.chance(0.4)) entry.through.where = this.cond(a.throughModel);
      }
      if (depth < 2 && rng.chance(0.4)) {
        const kids = this.assocsOf(tgt);
        const chosen = rng.some(kids, 1, 2);
        if (chosen.length) {
          entry.include = [];
          for (const k of chosen) {
            const [e, n] = this.include(k, depth + 1, tgt);
            entry.include.push(e);
            node.children.push(n);
          }
        }
      }
      if (Object.keys(entry).length === 1 && entry.association && rng.chance(0.5)) entry = entry.association;
    }
    return [entry, node];
  }

  query() {
    const rng = this.rng;
    const models = Object.values(this.sq.models);
    const model = rng.pick(models);
    const o = {};
    const nodes = [];
    const assocs = this.assocsOf(model);
    if (assocs.length && rng.chance(0.75)) {
      o.include = [];
      for (const a of rng.some(assocs, 1, 3)) {
        const [e, n] = this.include(a, 0, model);
        o.include.push(e);
        nodes.push(n);
      }
    }
    if (rng.chance(0.4)) o.where = this.where(model);
    if (rng.chance(0.15)) o.attributes = this.attrList(model, false);
    let limited = rng.chance(0.3);
    let offsetOnly = !limited && rng.chance(0.05);
    if ((limited || offsetOnly) && (requiredUnderOptional(o.include || [], true) ||
        requiredSelfBtm(o.include || [], nodes, model))) limited = offsetOnly = false;
    // order: top-level items ending with the primary key, then every to-many
    // level by its target's key (so arrays come in a defined order)
    const pks = model.primaryKeyAttributes;
    const top = [];
    const sortable = plainAttrs(model).filter((x) => COMPARABLE.includes(x.t.key) && !pks.includes(x.name));
    if (sortable.length && rng.chance(0.4)) top.push([rng.pick(sortable).name, rng.pick(['ASC', 'DESC'])]);
    for (const pk of pks) top.push([pk, rng.pick(['ASC', 'DESC'])]);
    const inner = [];
    const walk = (list, pathNames) => {
      for (const n of list) {
        const p = pathNames.concat([n.a.as]);
        if (n.a.isMultiAssociation) inner.push(p.concat([n.a.target.primaryKeyAttribute, rng.pick(['ASC', 'DESC'])]));
        walk(n.children, p);
      }
    };
    walk(nodes, []);
    let order = top.concat(inner);
    // without a limit, an included column may come first: it orders the
    // parents too (Sequelize's joined ORDER BY; relate's correlated subquery)
    if (!limited && !offsetOnly && nodes.length && rng.chance(0.3)) {
      // any included node, nested ones too
      const paths = [];
      const collect = (list, p) => list.forEach((n) => { paths.push([p.concat([n.a.as]), n]); collect(n.children, p.concat([n.a.as])); });
      collect(nodes, []);
      const [p, n] = rng.pick(paths);
      const cols = plainAttrs(n.a.target).filter((x) => COMPARABLE.includes(x.t.key));
      if (cols.length && (p.length === 1 && !n.a.isMultiAssociation || rng.chance(0.6))) {
        order = [p.concat([rng.pick(cols).name, rng.pick(['ASC', 'DESC'])])].concat(order);
      }
    }
    o.order = order;
    if (limited) {
      o.limit = rng.int(1, 3);
      if (rng.chance(0.5)) o.offset = rng.int(0, 2);
    } else if (offsetOnly) {
      o.offset = rng.int(1, 2); // offset alone
      o.limit = 100;
    }
    return { model: model.name, options: o };
  }
}

/* Whether an include tree has a required node below a node that is not
 * required. With limit, Sequelize's subquery then drops the top-level rows
 * without a match (as if every level above were required); without limit it
 * keeps them, as relate always does (SEMANTICS.md "Where relate differs"
 * rule 4: limit counts and filters top-level rows the same either way). */
function requiredUnderOptional(list, parentRequired) {
  for (const e of list) {
    if (typeof e === 'string') continue;
    const req = e.required !== undefined ? e.required : !!e.where;
    if (req && !parentRequired) return true;
    if (e.include && requiredUnderOptional(e.include, req && parentRequired)) return true;
  }
  return false;
}

/* Whether an include tree has a required belongsToMany node whose target is
 * the queried model itself. With limit, Sequelize's subquery checks such a
 * node with a join that gives the target the queried model's own alias, so
 * its condition compares the target with itself and keeps only rows linked
 * to themselves (seen with Sequelize 6.37.8: Movie.belongsToMany(Movie,
 * { as: 'members' }) and a required 'members' include with limit 2 gives []
 * though a movie has a member). */
function requiredSelfBtm(list, nodes, top) {
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const n = nodes[i];
    if (typeof e === 'string' || !n) continue;
    const req = e.required !== undefined ? e.required : !!e.where;
    if (req && n.a.associationType === 'BelongsToMany' && n.a.target === top) return true;
    if (e.include && requiredSelfBtm(e.include, n.children, top)) return true;
  }
  return false;
}

/* Nested create trees for `relate create` / Model.create(values, { include }). */
function genTree(rng, model, data, depth, counters, underBtm) {
  const n = (counters.get(model.name) || 100) + 1;
  counters.set(model.name, n);
  const values = data.rowValues(model, n);
  if (!values) return null;
  // without a given key for autoIncrement keys now and then: the order of
  // the INSERTs then shows in the ids
  // Only the root may go without its key: Sequelize saves siblings
  // concurrently, so their INSERT order (and serial ids) depends on how many
  // round trips each needs first.
  const pk = model.rawAttributes[model.primaryKeyAttribute];
  if (depth === 0 && pk.autoIncrement && rng.chance(0.5)) delete values[model.primaryKeyAttribute];
  const include = [];
  if (depth < 2) {
    let choice = Object.values(model.associations);
    // Sequelize's save() skips everything but belongsTo nested under a
    // belongsToMany element; junctions with their own serial key get ids in
    // Sequelize's concurrent order
    if (underBtm) choice = choice.filter((a) => a.associationType === 'BelongsTo');
    choice = choice.filter((a) => a.associationType !== 'BelongsToMany' ||
      !Object.values(a.throughModel.rawAttributes).some((x) => x.primaryKey && x.autoIncrement));
    for (const a of rng.some(choice, 0, 2)) {
      if (a.associationType === 'BelongsTo' && a.target === model) continue;
      if (values[a.foreignKey] !== undefined && a.associationType === 'BelongsTo') continue;
      const kid = () => genTree(rng, a.target, data, depth + 1, counters, a.associationType === 'BelongsToMany');
      if (a.isMultiAssociation) {
        const list = [];
        for (let i = rng.int(1, 2); i > 0; i--) {
          const t = kid();
          if (!t) continue;
          if (a.associationType === 'BelongsToMany' && rng.chance(0.4)) {
            const own = Object.entries(a.throughModel.rawAttributes).filter(([nm, at]) =>
              !at.primaryKey && !at._autoGenerated && nm !== a.foreignKey && nm !== a.otherKey && !['createdAt', 'updatedAt'].includes(nm));
            if (own.length) {
              t.values[a.throughModel.name] = {};
              for (const [nm, at] of own) t.values[a.throughModel.name][nm] = randomValue(rng, attrType(at));
            }
          }
          list.push(t);
        }
        if (!list.length) continue;
        values[a.as] = list.map((t) => t.values);
        include.push({ association: a.as, include: list[0].include, all: list.map((t) => t.include) });
      } else {
        const t = kid();
        if (!t) continue;
        values[a.as] = t.values;
        include.push({ association: a.as, include: t.include, all: [t.include] });
      }
    }
  }
  return { values, include };
}

/* Sequelize's include option for a tree: the union of what its rows nest. */
function treeInclude(list) {
  const byName = new Map();
  for (const inc of list) {
    const cur = byName.get(inc.association) || [];
    for (const sub of inc.all) cur.push(...sub);
    byName.set(inc.association, cur);
  }
  return [...byName.entries()].map(([association, subs]) => ({ association, include: treeInclude(subs) }));
}

/* ---------------------------------------------------------- running it */

function relate(args, opts = {}) {
  const r = spawnSync(RELATE, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function withClient(db, fn) {
  const client = new Client({ ...PG, database: db });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    await client.query('SET client_min_messages = warning');
    return await fn(client);
  } finally {
    await client.end();
  }
}

/* Runs the data steps through Sequelize; a step Sequelize rejects is dropped
 * and the run starts again (a failed step may have half happened). */
/* hasOne set/create only while the source has at most one target (create:
 * none): Sequelize's set unlinks the one target findOne happens to return,
 * and create adds a second one; with several, which one is the plan's
 * choice. relate unlinks them all. */
async function hasOneClear(sequelize, step) {
  if (!step.link) return true;
  const model = sequelize.models[step.link];
  const a = model.associations[step.association];
  if (!a || a.associationType !== 'HasOne') return true;
  const row = await model.findByPk(step.id);
  if (!row) return true;
  const n = await a.target.count({ where: { [a.foreignKey]: row.get(a.sourceKey) } });
  return step.method === 'create' ? n === 0 : n <= 1;
}

async function sequelizeRun(db, rel, steps, makeQueries, log) {
  for (let attempt = 0; attempt < 8; attempt++) {
    await G.freshDatabase(db);
    const ddl = [];
    const sequelize = G.newSequelize(db, { push: (s) => log.push(s) });
    try {
      G.evalModelFile(sequelize, rel);
      log.length = 0;
      await sequelize.sync({ force: true });
      ddl.push(...log);
      let failed = -1;
      for (let i = 0; i < steps.length; i++) {
        try {
          if (!(await hasOneClear(sequelize, steps[i]))) throw new Error('hasOne with several targets');
          await G.runStep(sequelize, steps[i]);
        } catch (e) {
          failed = i;
          break;
        }
      }
      if (failed >= 0) {
        steps = steps.slice(0, failed).concat(steps.slice(failed + 1));
        continue;
      }
      const out = await withClient(db, async (client) => {
        await G.normalizeTimestamps(client);
        const schema = await G.dumpSchema(client);
        const tables = await G.dumpTables(client, schema);
        // A hasOne whose source has several targets: Sequelize repeats the
        // parent row once per target (no dedup without a to-many include);
        // relate keeps one. Such data is not what hasOne means: no queries
        // include those associations.
        const ambiguous = new Set();
        for (const m of Object.values(sequelize.models)) {
          for (const a of Object.values(m.associations)) {
            if (a.associationType !== 'HasOne') continue;
            const col = a.target.rawAttributes[a.foreignKey].field || a.foreignKey;
            const r = await client.query(`SELECT 1 FROM ${G.qi(a.target.getTableName())} WHERE ${G.qi(col)} IS NOT NULL
              GROUP BY ${G.qi(col)} HAVING count(*) > 1`);
            if (r.rows.length) ambiguous.add(a);
          }
        }
        return { schema, tables, ambiguous };
      });
      const queries = makeQueries(sequelize, out.ambiguous);
      const results = [];
      for (const q of queries) {
        const model = sequelize.models[q.model];
        const entry = { model: q.model, options: q.options };
        try {
          const rows = await model.findAll(G.toFindOptions(sequelize, model, q.options));
          entry.json = JSON.stringify(rows.map((r) => r.toJSON()));
        } catch (e) {
          entry.error = e.message;
        }
        results.push(entry);
      }
      return { steps, ddl, ...out, queries, results };
    } finally {
      await sequelize.close();
    }
  }
  throw new Error('data steps keep failing');
}

/* test_ddl.c's normalisation (outside string literals), and E'a\\b' (relate
 * doubles backslashes inside E'' whatever standard_conforming_strings says)
 * as 'a\b' (Sequelize's, with standard_conforming_strings on): the same value. */
function normSql(s) {
  let out = '';
  s = s.replace(/`/g, '"');
  s = s.replace(/E'((?:[^']|'')*)'/g, (m, body) => `'${body.replace(/\\\\/g, '\\')}'`);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      // a literal, verbatim
      let j = i + 1;
      while (j < s.length && !(s[j] === "'" && s[j + 1] !== "'")) j += s[j] === "'" ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === ' ') {
      while (s[i + 1] === ' ') i++;
      if (s[i + 1] === ',' || s[i + 1] === ')' || i + 1 >= s.length || out === '') continue;
    }
    out += c;
    if (c === ',' && s[i + 1] === '"') out += ' ';
  }
  return out.replace(/[; ]+$/, '');
}

/* What Sequelize's sync({ force: true }) sends on SQLite, without SQLite:
 * the sqlite dialect with a stand-in driver and a query() that only logs. */
async function sqliteSyncLog(rel) {
  const fake = { Database: function () {}, OPEN_READWRITE: 1, OPEN_CREATE: 2, OPEN_FULLMUTEX: 4 };
  const sq = new Sequelize({ dialect: 'sqlite', storage: ':memory:', dialectModule: fake, logging: false });
  const log = [];
  sq.query = async (sql, o) => {
    log.push(typeof sql === 'string' ? sql : sql.query);
    return o && o.type === 'SELECT' ? [] : [[], 0];
  };
  G.evalModelFile(sq, rel);
  await sq.sync({ force: true });
  return log;
}

/* Sequelize's SQLite CREATE TABLEs vs `relate ddl --dialect sqlite`. */
function compareSqliteDdl(seqLog, relText) {
  const seq = seqLog.filter((l) => /^CREATE/.test(l)).map(normSql);
  const mine = relText.split(';\n').map((x) => x.trim()).filter((x) => /^CREATE/.test(x)).map((x) => normSql(x));
  const diffs = [];
  for (let k = 0; k < Math.max(seq.length, mine.length); k++) {
    if (seq[k] !== mine[k]) diffs.push(`sqlite statement ${k}:\n      Sequelize: ${seq[k]}\n      relate:    ${mine[k]}`);
  }
  return diffs;
}

function ddlStatements(log) {
  return log.filter((l) => /^(DROP|CREATE|ALTER)/.test(l)).map(normSql);
}

/* Sequelize: the force drops, then per table DROP + CREATE. relate ddl
 * --force: the drops, then the CREATEs. Compared: the first run of drops and
 * the CREATE/ALTER statements in order. */
function compareDdl(seqLog, relText) {
  // the first run of DROPs (before Sequelize's introspection SELECTs)
  let i = 0;
  while (i < seqLog.length && seqLog[i].startsWith('DROP')) i++;
  const drops = ddlStatements(seqLog.slice(0, i));
  const creates = ddlStatements(seqLog.slice(i)).filter((s) => !s.startsWith('DROP'));
  const mine = relText.split(';\n').map((s) => s.trim()).filter(Boolean).map((s) => normSql(s.replace(/;$/, '')));
  const mdrops = mine.filter((s) => s.startsWith('DROP'));
  const mcreates = mine.filter((s) => !s.startsWith('DROP'));
  const diffs = [];
  const cmp = (a, b, what) => {
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (a[k] !== b[k]) diffs.push(`${what} ${k}:\n      Sequelize: ${a[k]}\n      relate:    ${b[k]}`);
    }
  };
  cmp(drops, mdrops, 'drop');
  cmp(creates, mcreates, 'statement');
  return diffs;
}

function schemaDiffs(exp, act) {
  const diffs = [];
  const tn = new Set([...Object.keys(exp.tables), ...Object.keys(act.tables)]);
  for (const t of [...tn].sort()) {
    const e = exp.tables[t], a = act.tables[t];
    if (!e) { diffs.push(`table ${t}: only relate has it`); continue; }
    if (!a) { diffs.push(`table ${t}: relate lacks it`); continue; }
    const en = e.columns.map((c) => c.column_name).join(','), an = a.columns.map((c) => c.column_name).join(',');
    if (en !== an) diffs.push(`table ${t}: columns (${en}) vs relate (${an})`);
    for (const c of e.columns) {
      const d = a.columns.find((x) => x.column_name === c.column_name);
      if (d && JSON.stringify(c) !== JSON.stringify(d)) diffs.push(`table ${t} column ${c.column_name}: ${JSON.stringify(c)} vs relate ${JSON.stringify(d)}`);
    }
    for (const k of ['primaryKey', 'unique', 'foreignKeys']) {
      if (JSON.stringify(e[k]) !== JSON.stringify(a[k])) diffs.push(`table ${t} ${k}: ${JSON.stringify(e[k])} vs relate ${JSON.stringify(a[k])}`);
    }
  }
  return diffs;
}

/* ------------------------------------------------------------ reporting */

const report = {
  scenarios: 0, skipped: {}, queries: 0, cliQueries: 0, createTrees: 0, capiScenarios: 0, rule2Checked: 0,
  mismatches: {}, blocks: [],
};

function skip(why) { report.skipped[why] = (report.skipped[why] || 0) + 1; }

function mismatch(cat, sc, text) {
  report.mismatches[cat] = (report.mismatches[cat] || 0) + 1;
  const block = [`=== MISMATCH [${cat}] seed ${sc.seed}`, text,
    '--- model file:', sc.rel.trimEnd()];
  if (sc.steps && cat !== 'schema' && cat !== 'ddl' && cat !== 'relate-rejects') block.push('--- data steps:', JSON.stringify(sc.steps));
  report.blocks.push(block.join('\n'));
  console.log(block.join('\n') + '\n');
}

/* ------------------------------------------------------------- scenario */

async function runScenario(seed, opts) {
  const rng = new Rng(seed);
  let sc = null, sequelize = null;
  for (let tries = 0; tries < 20 && !sc; tries++) {
    const s = genSchema(rng);
    if (!pairingSafe(s.calls)) { skip('would pair differently (rule 1)'); continue; }
    try {
      sequelize = defineOnly(s.rel);
    } catch (e) {
      skip('Sequelize rejects at define');
      continue;
    }
    if (!namesDistinct(sequelize, s.calls)) {
      // Sequelize silently keeps one of them; relate must refuse the file
      // (SEMANTICS.md "Where relate differs" rule 2)
      skip('two associations, one name (rule 2)');
      report.rule2Checked++;
      const f = path.join(os.tmpdir(), `difftest-${process.pid}-rule2.rel`);
      fs.writeFileSync(f, s.rel);
      const r = relate(['ddl', f]);
      fs.rmSync(f, { force: true });
      if (r.code !== 2) mismatch('accepts-name-collision', { seed, rel: s.rel }, `relate ddl exited ${r.code}, not 2`);
      continue;
    }
    if (hasCycle(sequelize)) { skip('FK cycle (rule 6)'); continue; }
    if (!sameKeysInPairs(sequelize)) { skip('would pair differently (rule 1)'); continue; }
    sc = s;
  }
  if (!sc) return null;
  sc.seed = seed;
  const data = new DataGen(rng, sequelize);
  sc.steps = data.gen();
  const makeQueries = (sq, ambiguous) => {
    const qg = new QueryGen(rng, sq, data, ambiguous);
    const queries = [];
    for (let i = rng.int(6, 12); i > 0; i--) queries.push(qg.query());
    return queries;
  };
  const counters = new Map();
  const trees = [];
  const roots = Object.values(sequelize.models).filter((m) => !isJunction(m));
  const treeData = new DataGen(rng, sequelize); // one, so unique values stay unique
  for (let i = rng.int(1, 3); i > 0; i--) {
    const m = rng.pick(roots);
    const t = genTree(rng, m, treeData, 0, counters, false);
    if (t) trees.push({ model: m.name, values: t.values, include: treeInclude(t.include) });
  }
  await sequelize.close();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'difftest-'));
  const relFile = path.join(work, 'scenario.rel');
  fs.writeFileSync(relFile, sc.rel);

  // relate must accept whatever Sequelize accepts
  const ddl = relate(['ddl', relFile, '--dialect', 'postgres', '--force']);
  if (ddl.code !== 0) {
    mismatch('relate-rejects', sc, `relate ddl failed (${ddl.code}): ${ddl.err}`);
    return { sc, queries: [], trees: [], rejected: true };
  }

  const dbS = `difft_seq_${process.pid}`, dbR = `difft_rel_${process.pid}`;
  const log = [];
  let seq;
  try {
    seq = await sequelizeRun(dbS, sc.rel, sc.steps, makeQueries, log);
  } catch (e) {
    skip('Sequelize fails at sync or every run');
    await G.dropDatabase(dbS);
    return null;
  }
  report.scenarios++;
  sc.steps = seq.steps;

  // 2. DDL text, PostgreSQL and SQLite
  const dd = compareDdl(seq.ddl, ddl.out);
  if (dd.length) mismatch('ddl', sc, dd.join('\n'));
  const lite = relate(['ddl', relFile, '--dialect', 'sqlite']);
  try {
    const ld = compareSqliteDdl(await sqliteSyncLog(sc.rel), lite.out || '');
    if (ld.length) mismatch('ddl-sqlite', sc, ld.join('\n'));
  } catch (e) {
    skip('Sequelize fails at sync on SQLite');
  }

  // 1. schema through relate sync
  await G.freshDatabase(dbR);
  const sync = relate(['sync', relFile, '--db', PG_URL(dbR), '--force']);
  if (sync.code !== 0) {
    mismatch('sync', sc, `relate sync failed: ${sync.err}`);
  } else {
    const mine = await withClient(dbR, (c) => G.dumpSchema(c));
    const sd = schemaDiffs(seq.schema, mine);
    if (sd.length) mismatch('schema', sc, sd.join('\n'));
  }

  // 3. queries through relate find on Sequelize's database
  for (const q of seq.results) {
    if (q.error) {
      skip('query Sequelize rejects');
      if (process.env.DIFFTEST_DEBUG) console.log(`query rejected (seed ${sc.seed}): ${q.error} ${JSON.stringify(q.options)}`);
      continue;
    }
    report.queries++;
    const args = ['find', relFile, q.model, '--db', PG_URL(dbS)];
    for (const k of ['include', 'where', 'order', 'attributes']) {
      if (q.options[k] !== undefined) args.push('--' + k, JSON.stringify(q.options[k]));
    }
    if (q.options.limit !== undefined) args.push('--limit', String(q.options.limit));
    if (q.options.offset !== undefined) args.push('--offset', String(q.options.offset));
    const r = relate(args);
    const got = (r.out || '').replace(/\n$/, '');
    if (r.code !== 0 || got !== q.json) {
      mismatch('find', sc, `relate find ${q.model} ${JSON.stringify(q.options)}\n` +
        (r.code !== 0 ? `  relate failed (${r.code}): ${r.err}` : firstDiff(q.json, got)) +
        `\n--- tables:\n${seq.tables}`);
    }
  }

  // 5. nested create
  if (opts.create && trees.length) await runTrees(sc, trees, relFile, dbS, dbR);

  await G.dropDatabase(dbS);
  await G.dropDatabase(dbR);
  fs.rmSync(work, { recursive: true, force: true });
  return { sc, seq, queries: seq.queries };
}

function firstDiff(exp, act) {
  let i = 0;
  while (i < exp.length && exp[i] === act[i]) i++;
  const from = Math.max(0, i - 150);
  return `  first difference at ${i}\n  Sequelize: ...${exp.slice(from, i + 250)}\n  relate:    ...${act.slice(from, i + 250)}\n` +
    `  Sequelize full: ${exp}\n  relate full:    ${act}`;
}

/* Model.create(values, { include }) vs `relate create`, then the tables. */
async function runTrees(sc, trees, relFile, dbS, dbR) {
  await G.freshDatabase(dbS);
  const sequelize = G.newSequelize(dbS, { push: () => {} });
  const okTrees = [];
  try {
    G.evalModelFile(sequelize, sc.rel);
    await sequelize.sync({ force: true });
    for (const t of trees) {
      const model = sequelize.models[t.model];
      const conv = (m, v) => {
        const out = G.toValues(m, v);
        for (const [k, x] of Object.entries(out)) {
          const a = m.associations[k];
          if (a && x !== null && typeof x === 'object') out[k] = Array.isArray(x) ? x.map((y) => conv(a.target, y)) : conv(a.target, x);
        }
        return out;
      };
      const toInc = (m, list) => list.map((i) => ({ association: i.association, include: toInc(m.associations[i.association].target, i.include) }));
      try {
        await sequelize.transaction(async (transaction) => {
          await model.create(conv(model, t.values), { include: toInc(model, t.include), transaction });
        });
        okTrees.push(t);
      } catch (e) {
        skip('tree Sequelize rejects');
        if (process.env.DIFFTEST_DEBUG) console.log(`tree rejected (seed ${sc.seed}): ${e.message}`);
      }
    }
  } finally {
    await sequelize.close();
  }
  if (!okTrees.length) return;
  const seqTables = await withClient(dbS, async (c) => {
    await G.normalizeTimestamps(c);
    return G.dumpTables(c, await G.dumpSchema(c));
  });
  await G.freshDatabase(dbR);
  relate(['sync', relFile, '--db', PG_URL(dbR), '--force']);
  for (const t of okTrees) {
    report.createTrees++;
    const r = relate(['create', relFile, t.model, JSON.stringify(t.values), '--db', PG_URL(dbR)]);
    if (r.code !== 0) {
      mismatch('create', sc, `relate create ${t.model} ${JSON.stringify(t.values)} failed (${r.code}): ${r.err}`);
      return;
    }
  }
  const mine = await withClient(dbR, async (c) => {
    await G.normalizeTimestamps(c);
    return G.dumpTables(c, await G.dumpSchema(c));
  });
  if (mine !== seqTables) {
    mismatch('create', sc, `after creating ${okTrees.map((t) => `${t.model} ${JSON.stringify(t.values)}`).join('\n  ')}\n` +
      `--- Sequelize's tables:\n${seqTables}--- relate's tables:\n${mine}`);
  }
}

/* --------------------------------------------- the C API on both engines */

function writeOracleDir(dir, batch) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'scenarios'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'expected'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'scenarios', 'errors.json'), '[]\n');
  fs.writeFileSync(path.join(dir, 'expected', 'errors.json'), '[]\n');
  fs.writeFileSync(path.join(dir, 'known_differences.json'), '{"entries": []}\n');
  const names = [];
  let k = 0;
  // test_oracle wants at least 16 scenarios: repeat when there are fewer
  while (names.length < 16 || k < batch.length) {
    const r = batch[k % batch.length];
    const name = `s${r.sc.seed}` + (k >= batch.length ? `_dup${k}` : '');
    k++;
    names.push(name);
    const w = (sub, text) => fs.writeFileSync(path.join(dir, sub), text.endsWith('\n') ? text : text + '\n');
    w(`scenarios/${name}.rel`, r.sc.rel);
    w(`scenarios/${name}.data.json`, JSON.stringify(r.seq.steps));
    const okq = r.seq.results.filter((q) => !q.error);
    w(`scenarios/${name}.queries.json`, JSON.stringify(okq.map((q) => ({ model: q.model, options: q.options }))));
    w(`expected/${name}.ddl.sql`, r.seq.ddl.join('\n'));
    w(`expected/${name}.schema.json`, G.pretty(r.seq.schema));
    w(`expected/${name}.tables.json`, r.seq.tables);
    w(`expected/${name}.queries.json`, G.pretty(okq));
  }
  return names;
}

function runCapi(batch, keep) {
  const dir = keep ? path.join(keep, 'oracle') : fs.mkdtempSync(path.join(os.tmpdir(), 'difftest-oracle-'));
  writeOracleDir(dir, batch);
  const bySeed = new Map(batch.map((r) => [`s${r.sc.seed}`, r]));
  for (const engine of ['postgres', 'sqlite']) {
    const r = spawnSync(ORACLE_TEST, [], {
      encoding: 'utf8', maxBuffer: 256 << 20,
      env: { ...process.env, ORACLE_DIR: dir, REL_TEST_ENGINE: engine, REL_TEST_PG_URL: PG_URL('postgres'), ORACLE_SHOW_RELATE: '1' },
    });
    const lines = (r.stdout || '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {2}MISMATCH (\S+) (\S+): (.*)$/.exec(lines[i]);
      if (!m || m[1].includes('_dup')) continue;
      let text = `${engine}: ${m[2]}: ${m[3]}`;
      while (i + 1 < lines.length && lines[i + 1].startsWith('    ')) text += '\n' + lines[++i];
      const res = bySeed.get(m[1]);
      const cat = `capi-${engine}-${m[2].split(':')[0]}`;
      let extra = '';
      const qm = /^query:(\d+)$/.exec(m[2]);
      if (qm) extra = `\n--- Sequelize's tables:\n${res.seq.tables}`;
      if (res) mismatch(cat, res.sc, text + extra);
    }
    if (r.status !== 0 && !/MISMATCH/.test(r.stdout || '')) {
      console.log(`test_oracle[${engine}] exited ${r.status}:\n${(r.stdout || '').slice(-3000)}\n${r.stderr}`);
      report.mismatches['capi-crash'] = (report.mismatches['capi-crash'] || 0) + 1;
    }
  }
  report.capiScenarios += batch.length;
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

/* ----------------------------------------------------------------- main */

function parseArgs(argv) {
  const o = { seed: 1, count: 50, batch: 40, keep: null, capi: true, create: true, verbose: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--count') o.count = Number(argv[++i]);
    else if (a === '--batch') o.batch = Math.max(1, Number(argv[++i]));
    else if (a === '--keep') o.keep = path.resolve(argv[++i]);
    else if (a === '--no-capi') o.capi = false;
    else if (a === '--no-create') o.create = false;
    else if (a === '--only-seed') o.only = Number(argv[++i]);
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`difftest: unknown argument ${a}`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(RELATE)) throw new Error(`difftest: no relate at ${RELATE} (set RELATE_BIN)`);
  if (o.capi && !fs.existsSync(ORACLE_TEST)) throw new Error(`difftest: no test_oracle at ${ORACLE_TEST} (set RELATE_ORACLE_TEST)`);
  const seeds = o.only !== null ? [o.only] : Array.from({ length: o.count }, (_, k) => o.seed + k);
  let batch = [];
  for (const seed of seeds) {
    const r = await runScenario(seed, o);
    if (!r || r.rejected) continue;
    if (o.only !== null || o.verbose || o.keep) {
      const text = `seed ${seed}\n${r.sc.rel}\nsteps ${JSON.stringify(r.seq.steps)}\nqueries ${JSON.stringify(r.queries)}\n`;
      if (o.keep) { fs.mkdirSync(o.keep, { recursive: true }); fs.writeFileSync(path.join(o.keep, `s${seed}.txt`), text); }
      if (o.only !== null || o.verbose) console.log(text);
    }
    if (o.capi) {
      batch.push(r);
      if (batch.length >= o.batch) { runCapi(batch, o.keep); batch = []; }
    }
  }
  if (o.capi && batch.length) runCapi(batch, o.keep);

  console.log('==== difftest summary');
  console.log(`scenarios compared: ${report.scenarios} (seeds ${seeds[0]}..${seeds[seeds.length - 1]})`);
  console.log(`queries through relate find: ${report.queries}; nested creates: ${report.createTrees}; ` +
    `scenarios through the C API on PostgreSQL and SQLite: ${report.capiScenarios}`);
  console.log(`skipped: ${JSON.stringify(report.skipped)} (name collisions refused by relate, checked: ${report.rule2Checked})`);
  const cats = Object.entries(report.mismatches);
  console.log(cats.length ? `mismatches: ${JSON.stringify(report.mismatches)}` : 'mismatches: none');
  process.exitCode = cats.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(2);
});
