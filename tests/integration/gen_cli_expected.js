#!/usr/bin/env node
/*
 * Checks the find outputs of the relate command's transcripts
 * (tests/integration/expected/*.cli, read by test_cli.c) against the REAL
 * Sequelize 6 on PostgreSQL 15: each transcript's model file is evaluated by
 * Node with the prelude below, its create steps make the same rows with
 * Sequelize (see createTree), its SQL steps run as they are, and each
 * `find` runs as Model.findAll(options); the output must be what
 * JSON.stringify(rows.map(r => r.toJSON())) gives. With --write, the find
 * outputs in the transcripts are replaced by Sequelize's instead.
 *
 * Create outputs are relate's own: relate returns every attribute of a created
 * row (SEMANTICS.md "Where relate differs" 7), Sequelize only those it was
 * given. Steps expecting an error ("! N") are skipped. A transcript with a
 * line "# differs from Sequelize: WHY" is only shown, never counted.
 *
 * Not part of the test command. Run it from the repository root after
 * changing a transcript (Sequelize and pg come from tests/oracle):
 *
 *   (cd tests/oracle && npm ci)
 *   runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D /tmp/pgcli -A trust
 *   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pgcli \
 *       -o "-p 55436 -h 127.0.0.1 -k /tmp" -l /tmp/pgcli.log start
 *   node tests/integration/gen_cli_expected.js [--write] [NAME...]
 *
 * Connection: CLI_PGHOST (127.0.0.1), CLI_PGPORT (55436), CLI_PGUSER (postgres).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const ORACLE = path.join(__dirname, '..', 'oracle', 'node_modules');
const { Sequelize, DataTypes, Op } = require(path.join(ORACLE, 'sequelize'));
const { Client } = require(path.join(ORACLE, 'pg'));

const ROOT = path.join(__dirname, '..', '..');
const EXPECTED = path.join(__dirname, 'expected');
const PG = {
  host: process.env.CLI_PGHOST || '127.0.0.1',
  port: Number(process.env.CLI_PGPORT || 55436),
  user: process.env.CLI_PGUSER || 'postgres',
};
const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'like', 'notLike',
  'between', 'notBetween', 'is', 'not', 'and', 'or'];

/* The model file as JavaScript: the prelude provides define and the type names. */
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

/* Arguments split at spaces, '...' quoting, as test_cli.c splits them. */
function splitArgs(line) {
  const out = [];
  let cur = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') {
      if (cur !== null) out.push(cur);
      cur = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${line}`);
      cur = (cur || '') + line.slice(i + 1, end);
      i = end;
    } else {
      cur = (cur || '') + c;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

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
    if (!OPERATORS.includes(k)) throw new Error(`unknown operator "${k}"`);
    out[Op[k]] = toOperators(x);
  }
  return out;
}

function toInclude(sequelize, inc) {
  if (typeof inc === 'string') return { association: inc };
  const out = {};
  for (const [k, v] of Object.entries(inc)) {
    if (k === 'where') out.where = toWhere(v);
    else if (k === 'model') out.model = sequelize.models[v];
    else if (k === 'include') out.include = [].concat(v).map((i) => toInclude(sequelize, i));
    else if (k === 'through') {
      out.through = {};
      for (const [tk, tv] of Object.entries(v)) out.through[tk] = tk === 'where' ? toWhere(tv) : tv;
    } else out[k] = v;
  }
  return out;
}

/* The find command's options as findAll options. */
function findOptions(sequelize, args) {
  const out = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i], value = args[i + 1];
    switch (name) {
      case '--include': out.include = [].concat(JSON.parse(value)).map((i) => toInclude(sequelize, i)); break;
      case '--where': out.where = toWhere(JSON.parse(value)); break;
      case '--order': out.order = JSON.parse(value); break;
      case '--attributes': out.attributes = JSON.parse(value); break;
      case '--limit': out.limit = Number(value); break;
      case '--offset': out.offset = Number(value); break;
      default: throw new Error(`unknown find option ${name}`);
    }
  }
  return out;
}

/* A create step, row by row in the order relate uses: the belongsTo parents,
 * the row, its hasOne / hasMany children, its belongsToMany targets and their
 * junction rows. (Sequelize's create(values, { include }) would fill a
 * junction with the primary keys even when sourceKey / targetKey name other
 * attributes, so the tree is not made with it.) */
async function createTree(model, values) {
  const attrs = {}, later = [];
  for (const [k, v] of Object.entries(values)) {
    const assoc = model.associations[k];
    if (!assoc) attrs[k] = v;
    else if (assoc.associationType === 'BelongsTo') {
      if (v) {
        const parent = await createTree(assoc.target, v);
        attrs[assoc.foreignKey] = parent.get(assoc.targetKey);
      }
    } else later.push([assoc, v]);
  }
  const row = await model.create(attrs);
  for (const [assoc, v] of later) {
    const items = Array.isArray(v) ? v : v ? [v] : [];
    for (const item of items) {
      if (assoc.associationType === 'BelongsToMany') {
        const through = item[assoc.through.model.name];
        const rest = { ...item };
        delete rest[assoc.through.model.name];
        const target = await createTree(assoc.target, rest);
        await row[assoc.accessors.add](target, through ? { through } : undefined);
      } else {
        await createTree(assoc.target, { ...item, [assoc.foreignKey]: row.get(assoc.sourceKey) });
      }
    }
  }
  return row;
}

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

async function runTranscript(name, write) {
  const file = path.join(EXPECTED, `${name}.cli`);
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const out = [];
  let sequelize = null;
  let dbName = null;
  let mismatches = 0;
  const isOutput = (l) => l !== '' && !'#@$!%'.includes(l[0]);
  /* A transcript whose relate output differs from Sequelize's on purpose says
   * so; it is shown, not counted and not rewritten. */
  const differs = lines.some((l) => l.startsWith('# differs from Sequelize'));

  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    if (line.startsWith('@ ')) {
      if (sequelize) await sequelize.close();
      dbName = `relate_cli_${name}`;
      await freshDatabase(dbName);
      sequelize = new Sequelize(dbName, PG.user, null, { host: PG.host, port: PG.port, dialect: 'postgres', logging: false });
      evalModelFile(sequelize, fs.readFileSync(path.join(ROOT, line.slice(2)), 'utf8'));
      await sequelize.sync({ force: true });
    } else if (line.startsWith('% ')) {
      await sequelize.query(line.slice(2));
    }
    if (!line.startsWith('$ ')) {
      out.push(line);
      i++;
      continue;
    }
    out.push(line);
    i++;
    let failing = false;
    if (i < lines.length && lines[i].startsWith('! ')) {
      failing = true;
      out.push(lines[i++]);
    }
    const start = i;
    while (i < lines.length && isOutput(lines[i])) i++;
    const expected = lines.slice(start, i);
    const [cmd, ...args] = splitArgs(line.slice(2));
    if (failing || cmd !== 'find') {
      if (!failing && cmd === 'create') {
        await createTree(sequelize.models[args[0]], JSON.parse(args[1]));
      }
      out.push(...expected);
      continue;
    }
    const model = sequelize.models[args[0]];
    if (!model) throw new Error(`${name}.cli:${start}: no model ${args[0]}`);
    const rows = await model.findAll(findOptions(sequelize, args.slice(1)));
    const json = JSON.stringify(rows.map((r) => r.toJSON()));
    if (expected.length !== 1 || expected[0] !== json) {
      if (!differs) mismatches++;
      console.log(`${name}.cli:${start}: ${line}${differs ? ' (differs on purpose)' : ''}\n` +
                  `  relate:    ${expected.join('\n')}\n  sequelize: ${json}`);
    }
    out.push(differs ? expected.join('\n') : json);
  }
  if (sequelize) await sequelize.close();
  if (write) fs.writeFileSync(file, out.join('\n') + '\n');
  return mismatches;
}

async function main() {
  const argv = process.argv.slice(2);
  const write = argv.includes('--write');
  let names = argv.filter((a) => a !== '--write');
  if (!names.length)
    names = fs.readdirSync(EXPECTED).filter((f) => f.endsWith('.cli')).map((f) => f.slice(0, -4)).sort();
  let mismatches = 0;
  for (const name of names) mismatches += await runTranscript(name, write);
  console.log(`${mismatches} find output(s) differ from Sequelize's${write ? ' (rewritten)' : ''}`);
  process.exitCode = mismatches && !write ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
