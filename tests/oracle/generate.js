#!/usr/bin/env node
/*
 * relate's oracle: runs the REAL Sequelize 6 (6.37.8) against a real
 * PostgreSQL 15 and writes what it does into tests/oracle/expected/, so that
 * relate's tests can compare relate's schemas and JSON with Sequelize's,
 * byte for byte.
 *
 * This script is NOT part of the test command. Its outputs are committed;
 * the tests only read them. Run it again only when a scenario changes or a
 * new one is added, then review and commit the changed files.
 *
 * How to run (from tests/oracle/):
 *
 *   npm ci                                   # sequelize@6.37.8, pg@8
 *   runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D /tmp/pgoracle -A trust
 *   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pgoracle \
 *       -o "-p 55435 -h 127.0.0.1 -k /tmp" -l /tmp/pgoracle.log start
 *   node generate.js              # every scenario, plus expected/errors.json
 *   node generate.js org types    # only these scenarios ("errors" for errors.json)
 *   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pgoracle stop
 *
 * Connection: ORACLE_PGHOST (127.0.0.1), ORACLE_PGPORT (55435), ORACLE_PGUSER
 * (postgres), trust authentication. Each scenario gets a fresh database
 * "oracle_<name>" (UTF8, collation C, dropped first if it exists).
 *
 * Inputs, per scenario <name> (see README.md for the formats):
 *   scenarios/<name>.rel           model file (relate's model-file syntax,
 *                                   which is also plain JavaScript)
 *   scenarios/<name>.data.json     ordered data steps
 *   scenarios/<name>.queries.json  findAll calls in relate's CLI JSON form
 *   scenarios/errors.json          error cases
 * Outputs (expected/):
 *   <name>.ddl.sql       every SQL statement sync({ force: true }) issued
 *   <name>.schema.json   the resulting schema read from information_schema
 *   <name>.tables.json   every table's rows after the data steps
 *   <name>.queries.json  each query with Sequelize's exact JSON output
 *   errors.json          Sequelize's error messages for the error cases
 * Scenarios listed in DIFFERS below are ones where relate deliberately does
 * not follow Sequelize (SEMANTICS.md "Where relate differs"): their outputs
 * carry ".sequelize-differs" before the suffix.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { Sequelize, DataTypes, Op } = require('sequelize');
const { Client } = require('pg');

const HERE = __dirname;
const SCEN = path.join(HERE, 'scenarios');
const OUT = path.join(HERE, 'expected');

const PG = {
  host: process.env.ORACLE_PGHOST || '127.0.0.1',
  port: Number(process.env.ORACLE_PGPORT || 55435),
  user: process.env.ORACLE_PGUSER || 'postgres',
};

/* Every createdAt/updatedAt (and snake-case forms) is set to this after the
 * data steps, so outputs do not depend on the clock. */
const FIXED_TIMESTAMP = '2026-01-02T03:04:05.678Z';
const TIMESTAMP_COLUMNS = ['createdAt', 'updatedAt', 'created_at', 'updated_at'];

/* Scenarios whose Sequelize result relate deliberately does not reproduce. */
const DIFFERS = {
  ab: 'SEMANTICS.md "Where relate differs" rule 1 (inverse pairs are one relation)',
  pairs: 'SEMANTICS.md "Where relate differs" rule 1 (inverse pairs are one relation)',
  cycle: 'SEMANTICS.md "Where relate differs" rule 6 (FK cycles keep every constraint)',
};

/* Operator names of relate's CLI JSON; each maps to Sequelize's Op symbol. */
const OPERATORS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'like', 'notLike',
  'iLike', 'notILike', 'between', 'notBetween', 'is', 'not', 'and', 'or',
  'startsWith', 'endsWith', 'substring',
];

/* ---------------------------------------------------------------- files */

/* JSON.stringify with 2-space indentation, except that an object or array
 * whose compact form fits in 240 columns stays on one line: diffs stay short. */
function pretty(value, indent = 0, column = indent) {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || column + flat.length <= 240) return flat;
  const pad = ' '.repeat(indent + 2);
  const end = '\n' + ' '.repeat(indent);
  if (Array.isArray(value)) {
    return '[\n' + value.map((v) => pad + pretty(v, indent + 2)).join(',\n') + end + ']';
  }
  const lines = Object.keys(value).map((k) => {
    const key = JSON.stringify(k) + ': ';
    return pad + key + pretty(value[k], indent + 2, indent + 2 + key.length);
  });
  return '{\n' + lines.join(',\n') + end + '}';
}

function readJson(file, fallback) {
  if (!fs.existsSync(file)) return fallback;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeOut(name, text) {
  fs.writeFileSync(path.join(OUT, name), text.endsWith('\n') ? text : text + '\n');
}

function outName(scenario, suffix) {
  return DIFFERS[scenario] ? `${scenario}.sequelize-differs.${suffix}` : `${scenario}.${suffix}`;
}

/* -------------------------------------------------------- the model file */

/* Evaluates a model file with the prelude that makes it plain JavaScript.
 * Sloppy mode on purpose: the DESIGN.md example assigns `Employee = define(..)`
 * without a declaration. Globals it creates are removed afterwards. */
function evalModelFile(sequelize, text) {
  const typeNames = Object.keys(DataTypes).filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k));
  const prelude =
    `const { ${typeNames.join(', ')} } = DataTypes;\n` +
    'const define = (...a) => sequelize.define(...a);\n';
  const before = new Set(Object.keys(globalThis));
  try {
    // eslint-disable-next-line no-new-func
    new Function('sequelize', 'Sequelize', 'DataTypes', prelude + text)(sequelize, Sequelize, DataTypes);
  } finally {
    for (const k of Object.keys(globalThis)) if (!before.has(k)) delete globalThis[k];
  }
}

/* ------------------------------------- relate CLI JSON -> Sequelize options */

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/* A where object: keys are attributes (or and/or/not); an attribute's object
 * value holds operators. */
function toWhere(w) {
  if (Array.isArray(w)) return w.map(toWhere);
  if (!isObject(w)) return w;
  const out = {};
  for (const [k, v] of Object.entries(w)) {
    if (k === 'and' || k === 'or') out[Op[k]] = Array.isArray(v) ? v.map(toWhere) : toWhere(v);
    else if (k === 'not' && isObject(v)) out[Op.not] = toWhere(v);
    else out[k] = toOperators(v);
  }
  return out;
}

function toOperators(v) {
  if (Array.isArray(v)) return v.map(toOperators);
  if (!isObject(v)) return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (!OPERATORS.includes(k)) throw new Error(`oracle: unknown operator "${k}"`);
    out[Op[k]] = toOperators(x);
  }
  return out;
}

/* An include entry: a string names an association of the parent (its alias),
 * else a model; objects take association | model (+ as). */
function toInclude(sequelize, parent, inc) {
  if (typeof inc === 'string') {
    if (parent.associations[inc]) return { association: inc };
    if (sequelize.models[inc]) return { model: sequelize.models[inc] };
    return { association: inc }; // let Sequelize report it
  }
  const out = {};
  let target = null;
  for (const [k, v] of Object.entries(inc)) {
    switch (k) {
      case 'association':
        out.association = v;
        if (parent.associations[v]) target = parent.associations[v].target;
        break;
      case 'model':
        if (!sequelize.models[v]) throw new Error(`oracle: unknown model "${v}"`);
        out.model = sequelize.models[v];
        target = out.model;
        break;
      case 'where':
        out.where = toWhere(v);
        break;
      case 'through': {
        out.through = {};
        for (const [tk, tv] of Object.entries(v)) out.through[tk] = tk === 'where' ? toWhere(tv) : tv;
        break;
      }
      case 'include':
        break; // after the target is known
      default:
        out[k] = v; // as, required, attributes, right, separate, ...
    }
  }
  if (out.as && out.model && parent.associations[out.as]) target = parent.associations[out.as].target;
  if (inc.include) {
    // Under an unknown association Sequelize reports the error; strings then
    // stay association names unless they name a model.
    const under = target || { associations: {} };
    out.include = inc.include.map((i) => toInclude(sequelize, under, i));
  }
  return out;
}

function toFindOptions(sequelize, model, o) {
  const out = {};
  for (const [k, v] of Object.entries(o || {})) {
    if (k === 'include') out.include = v.map((i) => toInclude(sequelize, model, i));
    else if (k === 'where') out.where = toWhere(v);
    else out[k] = JSON.parse(JSON.stringify(v)); // order, attributes, limit, offset, subQuery
  }
  return out;
}

/* ------------------------------------------------------------ data steps */

async function loadRow(sequelize, modelName, id) {
  const model = sequelize.models[modelName];
  if (!model) throw new Error(`oracle: unknown model "${modelName}"`);
  const row = await model.findByPk(id);
  if (!row) throw new Error(`oracle: ${modelName} ${JSON.stringify(id)} not found`);
  return row;
}

/* BLOB values are written as {"type":"Buffer","data":[...]}, as toJSON gives. */
function toValues(model, values) {
  const out = {};
  for (const [k, v] of Object.entries(values || {})) {
    const attr = model.rawAttributes[k];
    if (attr && attr.type instanceof DataTypes.BLOB && isObject(v) && v.type === 'Buffer') out[k] = Buffer.from(v.data);
    else out[k] = v;
  }
  return out;
}

async function runStep(sequelize, step) {
  if (step.create) {
    const model = sequelize.models[step.create];
    await model.create(toValues(model, step.values));
  } else if (step.update) {
    const row = await loadRow(sequelize, step.update, step.id);
    await row.update(toValues(row.constructor, step.values));
  } else if (step.destroy) {
    const row = await loadRow(sequelize, step.destroy, step.id);
    await row.destroy();
  } else if (step.link) {
    const row = await loadRow(sequelize, step.link, step.id);
    const assoc = row.constructor.associations[step.association];
    if (!assoc) throw new Error(`oracle: ${step.link} has no association "${step.association}"`);
    const acc = assoc.accessors;
    const opts = step.through ? { through: step.through } : undefined;
    const many = Array.isArray(step.ids);
    const targets = many
      ? await Promise.all(step.ids.map((id) => loadRow(sequelize, assoc.target.name, id)))
      : step.ids === null || step.ids === undefined
        ? null
        : await loadRow(sequelize, assoc.target.name, step.ids);
    switch (step.method) {
      case 'add':
        await row[many ? acc.addMultiple : acc.add](targets, opts);
        break;
      case 'remove':
        await row[many ? acc.removeMultiple : acc.remove](targets);
        break;
      case 'set':
        await row[acc.set](targets, opts);
        break;
      case 'create':
        await row[acc.create](toValues(assoc.target, step.values), opts);
        break;
      default:
        throw new Error(`oracle: unknown link method "${step.method}"`);
    }
  } else {
    throw new Error(`oracle: unknown step ${JSON.stringify(step)}`);
  }
}

/* ----------------------------------------------------------- PostgreSQL */

async function freshDatabase(name) {
  const admin = new Client({ ...PG, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name) {
  const admin = new Client({ ...PG, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function qi(name) {
  return '"' + name.replace(/"/g, '""') + '"';
}

async function normalizeTimestamps(client) {
  const { rows } = await client.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = ANY($1)
      ORDER BY table_name, ordinal_position`, [TIMESTAMP_COLUMNS]);
  for (const r of rows) {
    await client.query(`UPDATE ${qi(r.table_name)} SET ${qi(r.column_name)} = $1`, [FIXED_TIMESTAMP]);
  }
}

/* The schema in a canonical form: tables sorted by name; columns in their
 * ordinal order; constraints sorted by name, their columns in key order. */
async function dumpSchema(client) {
  const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const tables = {};
  const t = await client.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  for (const name of t.rows.map((r) => r.table_name).sort(byName)) {
    tables[name] = { columns: [], primaryKey: null, unique: [], foreignKeys: [] };
  }
  const c = await client.query(
    `SELECT table_name, column_name, data_type, udt_name, character_maximum_length,
            numeric_precision, numeric_scale, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public'
      ORDER BY table_name, ordinal_position`);
  for (const r of c.rows) {
    if (!tables[r.table_name]) continue;
    tables[r.table_name].columns.push({
      column_name: r.column_name,
      data_type: r.data_type,
      udt_name: r.udt_name,
      character_maximum_length: r.character_maximum_length,
      numeric_precision: r.numeric_precision,
      numeric_scale: r.numeric_scale,
      is_nullable: r.is_nullable,
      column_default: r.column_default,
    });
  }
  const k = await client.query(
    `SELECT tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name,
            kcu.ordinal_position, kcu.position_in_unique_constraint
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_schema = tc.constraint_schema
        AND kcu.constraint_name = tc.constraint_name
        AND kcu.table_name = tc.table_name
      WHERE tc.table_schema = 'public'
        AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
      ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position`);
  /* Referenced side of each FK: the unique/primary constraint it points at. */
  const f = await client.query(
    `SELECT rc.constraint_name, tc.table_name, rc.update_rule, rc.delete_rule,
            ref.table_name AS ref_table, ref.column_name AS ref_column, ref.ordinal_position AS ref_pos
       FROM information_schema.referential_constraints rc
       JOIN information_schema.table_constraints tc
         ON tc.constraint_schema = rc.constraint_schema AND tc.constraint_name = rc.constraint_name
       JOIN information_schema.key_column_usage ref
         ON ref.constraint_schema = rc.unique_constraint_schema
        AND ref.constraint_name = rc.unique_constraint_name
      WHERE rc.constraint_schema = 'public'
      ORDER BY rc.constraint_name, ref.ordinal_position`);
  const refs = {};
  for (const r of f.rows) {
    const key = r.table_name + '\u0000' + r.constraint_name;
    if (!refs[key]) refs[key] = { table: r.ref_table, columns: [], update_rule: r.update_rule, delete_rule: r.delete_rule };
    refs[key].columns[r.ref_pos - 1] = r.ref_column;
  }
  const cons = {};
  for (const r of k.rows) {
    const key = r.table_name + '\u0000' + r.constraint_name;
    if (!cons[key]) cons[key] = { table: r.table_name, name: r.constraint_name, type: r.constraint_type, columns: [], refcols: [] };
    cons[key].columns.push(r.column_name);
    cons[key].refcols.push(r.position_in_unique_constraint);
  }
  for (const [key, x] of Object.entries(cons)) {
    const tbl = tables[x.table];
    if (!tbl) continue;
    if (x.type === 'PRIMARY KEY') {
      tbl.primaryKey = { constraint_name: x.name, columns: x.columns };
    } else if (x.type === 'UNIQUE') {
      tbl.unique.push({ constraint_name: x.name, columns: x.columns });
    } else {
      const ref = refs[key];
      tbl.foreignKeys.push({
        constraint_name: x.name,
        columns: x.columns,
        referenced_table: ref.table,
        referenced_columns: x.refcols.map((p) => ref.columns[p - 1]),
        update_rule: ref.update_rule,
        delete_rule: ref.delete_rule,
      });
    }
  }
  for (const tbl of Object.values(tables)) {
    tbl.unique.sort((a, b) => byName(a.constraint_name, b.constraint_name));
    tbl.foreignKeys.sort((a, b) => byName(a.constraint_name, b.constraint_name));
  }
  return { tables };
}

/* Every table's rows as PostgreSQL's row_to_json text (TimeZone UTC), in
 * primary-key order (all columns when there is none). Kept as text so that
 * BIGINT and NUMERIC digits survive. */
async function dumpTables(client, schema) {
  const parts = [];
  for (const [name, tbl] of Object.entries(schema.tables)) {
    const keys = tbl.primaryKey ? tbl.primaryKey.columns : tbl.columns.map((c) => c.column_name);
    const { rows } = await client.query(
      `SELECT row_to_json(t)::text AS j FROM ${qi(name)} t ORDER BY ${keys.map((k) => 't.' + qi(k)).join(', ')}`);
    const body = rows.map((r) => '    ' + r.j).join(',\n');
    parts.push(`  ${JSON.stringify(name)}: [${rows.length ? '\n' + body + '\n  ' : ''}]`);
  }
  return `{${parts.length ? '\n' + parts.join(',\n') + '\n' : ''}}\n`;
}

/* ------------------------------------------------------------- scenarios */

function newSequelize(database, log) {
  return new Sequelize(database, PG.user, null, {
    host: PG.host,
    port: PG.port,
    dialect: 'postgres',
    logging: (sql) => log.push(String(sql).replace(/^Executing \([^)]*\): /, '')),
  });
}

async function runScenario(name) {
  const db = `oracle_${name}`;
  const rel = fs.readFileSync(path.join(SCEN, `${name}.rel`), 'utf8');
  const steps = readJson(path.join(SCEN, `${name}.data.json`), []);
  const queries = readJson(path.join(SCEN, `${name}.queries.json`), []);

  await freshDatabase(db);
  let log = [];
  const sequelize = newSequelize(db, { push: (s) => log.push(s) });
  const client = new Client({ ...PG, database: db });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    evalModelFile(sequelize, rel);

    log = [];
    await sequelize.sync({ force: true });
    writeOut(outName(name, 'ddl.sql'), log.join('\n'));

    const schema = await dumpSchema(client);
    writeOut(outName(name, 'schema.json'), pretty(schema));

    for (const step of steps) await runStep(sequelize, step);
    await normalizeTimestamps(client);
    writeOut(outName(name, 'tables.json'), await dumpTables(client, schema));

    const results = [];
    for (const q of queries) {
      const model = sequelize.models[q.model];
      if (!model) throw new Error(`oracle: ${name}: unknown model "${q.model}"`);
      const entry = {};
      if (q.note) entry.note = q.note;
      entry.model = q.model;
      entry.options = q.options || {};
      log = [];
      try {
        const rows = await model.findAll(toFindOptions(sequelize, model, q.options));
        entry.json = JSON.stringify(rows.map((r) => r.toJSON()));
      } catch (err) {
        entry.error = err.message;
      }
      entry.sql = log.slice();
      results.push(entry);
    }
    writeOut(outName(name, 'queries.json'), pretty(results));
  } finally {
    await client.end();
    await sequelize.close();
    await dropDatabase(db);
  }
  console.log(`${name}: ${queries.length} queries`);
}

/* Each case: a model file, and optionally a query on it. The message is what
 * Sequelize throws while the file is evaluated ("define"), while sync({ force:
 * true }) runs ("sync"), or while the query runs ("query"); phase "none" and
 * error null when nothing failed. */
async function runErrors() {
  const cases = readJson(path.join(SCEN, 'errors.json'), []);
  const db = 'oracle_errors';
  const out = [];
  for (const c of cases) {
    await freshDatabase(db);
    const sequelize = newSequelize(db, []);
    const entry = { name: c.name, rel: c.rel };
    if (c.query) entry.query = c.query;
    entry.phase = 'none';
    entry.error = null;
    let phase = 'define';
    try {
      evalModelFile(sequelize, c.rel);
      phase = 'sync';
      await sequelize.sync({ force: true });
      if (c.query) {
        phase = 'query';
        const model = sequelize.models[c.query.model];
        await model.findAll(toFindOptions(sequelize, model, c.query.options));
      }
    } catch (err) {
      entry.phase = phase;
      entry.error = err.message;
    } finally {
      out.push(entry);
      await sequelize.close();
    }
  }
  await dropDatabase(db);
  writeOut('errors.json', pretty(out));
  console.log(`errors: ${out.length} cases`);
}

async function main() {
  const only = process.argv.slice(2);
  const all = fs.readdirSync(SCEN).filter((f) => f.endsWith('.rel')).map((f) => f.slice(0, -4)).sort();
  for (const n of only) if (n !== 'errors' && !all.includes(n)) throw new Error(`oracle: no scenario "${n}"`);
  fs.mkdirSync(OUT, { recursive: true });
  for (const name of only.length ? only.filter((n) => n !== 'errors') : all) await runScenario(name);
  if (!only.length || only.includes('errors')) await runErrors();
}

/* Run as a script; required (by difftest.js), it only lends its helpers. */
if (require.main === module) {
  main().catch((err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  });
}

module.exports = {
  PG, FIXED_TIMESTAMP, pretty, evalModelFile, toFindOptions, toValues, runStep,
  freshDatabase, dropDatabase, qi, normalizeTimestamps, dumpSchema, dumpTables, newSequelize,
};
