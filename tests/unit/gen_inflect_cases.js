#!/usr/bin/env node
/*
 * Generates the case tables of tests/unit/test_inflect.c from the real
 * Sequelize 6 code, so the C port in src/schema/inflect.c is checked against
 * what Sequelize actually does.
 *
 * Needs node (18 or later) and, in some scratch directory, the packages
 * Sequelize 6 uses (inflection is the version sequelize@6.37 resolves; pg
 * only lets a Sequelize instance be made, nothing connects):
 *
 *   mkdir /tmp/infl && cd /tmp/infl && npm init -y
 *   npm install sequelize@6.37.8 inflection@1.13.4 pg
 *
 * Then, from the project root:
 *
 *   NODE_PATH=/tmp/infl/node_modules node tests/unit/gen_inflect_cases.js \
 *       tests/unit/test_inflect.c
 *
 * rewrites the part of that file between the GENERATED CASES markers. With
 * no argument the tables are printed to standard output instead.
 *
 * Tables:
 *   pluralize_cases, singularize_cases  inflection.pluralize / singularize
 *                                       (what Utils.pluralize / singularize call)
 *   underscore_cases                    Utils.underscore (inflection.underscore)
 *   camelize_cases                      Utils.camelize
 *   key_join_cases                      Utils.camelize([prefix, key].join('_')),
 *                                       checked against real associations
 *   table_name_cases                    Model.tableName of sequelize.define
 *   column_name_cases                   rawAttributes[attr].field of define
 */
'use strict';

const fs = require('fs');
const inflection = require('inflection');
const { Sequelize, DataTypes } = require('sequelize');
const Utils = require('sequelize/lib/utils');

if (require('inflection/package.json').version !== '1.13.4') {
  throw new Error('expected inflection 1.13.4, found ' + require('inflection/package.json').version);
}

// ---- words ----

// Singular nouns over every rule and ending, irregulars and rule words.
const nouns = [
  // plain
  'user', 'account', 'project', 'task', 'post', 'comment', 'tag', 'order',
  'item', 'product', 'invoice', 'customer', 'employee', 'organization',
  'team', 'member', 'role', 'permission', 'group', 'actor', 'costume',
  'movie', 'book', 'author', 'page', 'line', 'file', 'folder', 'node',
  'edge', 'event', 'ticket', 'message', 'thread', 'image', 'profile',
  'setting', 'note', 'vehicle', 'engine', 'door', 'window', 'car', 'cat',
  'dog', 'tree', 'word', 'name', 'game', 'house', 'horse', 'course',
  'purchase', 'case', 'phase', 'base', 'database', 'rose', 'cheese', 'nurse',
  'license', 'response', 'use', 'cause', 'pause', 'clause', 'cruise',
  'course', 'verse', 'promise', 'exercise', 'enterprise',
  // -y
  'category', 'company', 'city', 'country', 'story', 'entry', 'party',
  'policy', 'library', 'query', 'body', 'family', 'activity', 'property',
  'day', 'key', 'toy', 'guy', 'boy', 'survey', 'valley', 'monkey', 'journey',
  'soliloquy', 'colloquy', 'buy', 'fly', 'spy', 'ally', 'reply', 'baby',
  'lady', 'berry', 'cherry', 'diary', 'dictionary', 'currency', 'agency',
  // -s -ss -us -is
  'status', 'campus', 'canvas', 'alias', 'bus', 'gas', 'plus', 'lens',
  'class', 'glass', 'boss', 'dress', 'kiss', 'address', 'business', 'process',
  'access', 'success', 'progress', 'octopus', 'virus', 'cactus', 'fungus',
  'focus', 'radius', 'stimulus', 'genus', 'corpus', 'opus', 'census',
  'bonus', 'summons', 'iris', 'tennis', 'axis', 'testis', 'analysis',
  'basis', 'diagnosis', 'parenthesis', 'prognosis', 'synopsis', 'thesis',
  'crisis', 'hypothesis', 'emphasis', 'oasis', 'chassis', 'news', 'series',
  'species', 'means', 'lotus', 'atlas', 'bias', 'circus', 'apparatus',
  'whereas', 'minus', 'nexus', 'walrus', 'abacus', 'bogus', 'famous',
  // -x -ch -sh -z
  'box', 'fox', 'tax', 'fax', 'index', 'vertex', 'matrix', 'appendix',
  'suffix', 'prefix', 'complex', 'ox', 'sex', 'church', 'match', 'batch',
  'watch', 'switch', 'branch', 'search', 'stomach', 'epoch', 'monarch',
  'dish', 'wish', 'bush', 'brush', 'flash', 'hash', 'mesh', 'quiz', 'buzz',
  'fez', 'waltz', 'topaz', 'blitz',
  // -f -fe -ff -ve
  'wife', 'knife', 'life', 'safe', 'giraffe', 'leaf', 'wolf', 'half',
  'shelf', 'calf', 'elf', 'self', 'scarf', 'wharf', 'dwarf', 'roof',
  'chief', 'belief', 'proof', 'cliff', 'staff', 'stuff', 'sheriff', 'chef',
  'hive', 'drive', 'curve', 'move', 'cave', 'wave', 'dove', 'glove', 'olive',
  'archive', 'objective', 'motive', 'native', 'nerve', 'valve', 'sleeve',
  'serve', 'reserve', 'five', 'alive', 'tive', 'hi',
  // -o
  'hero', 'echo', 'buffalo', 'tomato', 'potato', 'photo', 'piano', 'zoo',
  'video', 'radio', 'studio', 'kilo', 'memo', 'logo', 'veto', 'torpedo',
  'volcano', 'mosquito', 'cargo', 'domino', 'shoe', 'toe', 'canoe', 'hoe',
  'oboe', 'foe',
  // -um -on -a -ix -ex
  'datum', 'medium', 'curriculum', 'memorandum', 'millennium', 'stadium',
  'museum', 'forum', 'album', 'atrium', 'criterion', 'phenomenon',
  'automaton', 'data', 'media', 'agenda', 'area', 'idea', 'schema', 'formula',
  'antenna', 'vita', 'pasta', 'cola',
  // irregular and rule words
  'person', 'salesperson', 'child', 'grandchild', 'man', 'woman', 'human',
  'german', 'shaman', 'policeman', 'chairman', 'mouse', 'louse', 'spouse',
  'blouse', 'foot', 'tooth', 'goose', 'moose', 'deer', 'sheep', 'fish',
  'ox', 'genera', 'criteria', 'movies', 'cookie', 'zombie', 'pie', 'tie',
  'lie', 'die',
  // uncountable
  'equipment', 'information', 'rice', 'money', 'police', 'jeans', 'advice',
  'software', 'hardware', 'research', 'music', 'furniture', 'luggage',
  'milk', 'food', 'fuel', 'help', 'weather', 'wildlife',
];

// Plural forms to singularize, including ones no rule produces.
const plurals = [
  'users', 'accounts', 'people', 'persons', 'children', 'men', 'women',
  'humans', 'mice', 'lice', 'houses', 'feet', 'teeth', 'geese', 'oxen',
  'oxens', 'statuses', 'status', 'categories', 'companies', 'days', 'keys',
  'toys', 'guys', 'queries', 'soliloquies', 'boxes', 'foxes', 'taxes',
  'indices', 'indexes', 'vertices', 'vertexes', 'matrices', 'matrixes',
  'churches', 'matches', 'dishes', 'wishes', 'kisses', 'classes', 'glasses',
  'addresses', 'businesses', 'buses', 'busses', 'gases', 'aliases',
  'canvases', 'campuses', 'summonses', 'bonuses', 'octopuses', 'octopi',
  'viruses', 'cacti', 'cactuses', 'fungi', 'analyses', 'bases', 'diagnoses',
  'parentheses', 'prognoses', 'synopses', 'theses', 'crises', 'axes',
  'testes', 'hypotheses', 'wives', 'knives', 'lives', 'leaves', 'wolves',
  'halves', 'shelves', 'calves', 'elves', 'selves', 'scarves', 'wharves',
  'dwarves', 'roofs', 'chiefs', 'cliffs', 'staffs', 'hives', 'drives',
  'curves', 'moves', 'caves', 'waves', 'doves', 'gloves', 'olives', 'archives',
  'objectives', 'nerves', 'valves', 'sleeves', 'heroes', 'echoes',
  'buffaloes', 'tomatoes', 'potatoes', 'photos', 'pianos', 'zoos', 'videos',
  'shoes', 'toes', 'canoes', 'movies', 'cookies', 'zombies', 'pies', 'ties',
  'series', 'species', 'news', 'data', 'media', 'criteria', 'phenomena',
  'genera', 'quizzes', 'whereases', 'sheep', 'deer', 'fish', 'moose',
  'equipment', 'information', 'money', 'virus', 'viri', 'business', 'process',
  'processes', 'access', 'glass', 'bus', 'gas', 'lens', 'lenses', 'atlases',
  'biases', 'circuses', 'crisis', 'axis', 'thesis', 'analysis', 'datum',
  'stadia', 'stadiums', 'memoranda', 'agendas', 'ideas', 'formulae',
  'formulas', 'antennae', 'areas', 'schemas', 'schemata', 'ss', 's', 'ies',
  'es', 'ves', 'sses', 'uses', 'ices', 'moves', 'tives', 'hives', 'fives',
  'lies', 'dies', 'quies', 'mies',
];

// Model-style names: capitalised, camelCase compounds, snake, odd input.
const compounds = [
  'User', 'Person', 'Child', 'Mouse', 'Category', 'Status', 'Organization',
  'Employee', 'Task', 'Actor', 'Costume', 'Movie', 'Address', 'Box', 'Wife',
  'Leaf', 'Hero', 'Quiz', 'Ox', 'Foot', 'Man', 'Woman', 'Human', 'Matrix',
  'Index', 'Analysis', 'Datum', 'Criterion', 'Genus', 'Equipment', 'Sheep',
  'News', 'Information', 'Money', 'Deer',
  'UserAccount', 'ActorCostume', 'OrderItem', 'BlogPost', 'ProductCategory',
  'CompanyPerson', 'SalesPerson', 'TeamChild', 'UserStatus', 'MailBox',
  'TaxIndex', 'GeoMatrix', 'LogEntry', 'ProjectMember', 'UserRole',
  'AccessPolicy', 'StockQuery', 'GameHero', 'PhotoAlbum', 'FileAlias',
  'HistoryLog', 'BookAuthor', 'MovieActor', 'TaskAssignee', 'WorkDay',
  'ApiKey', 'ShoppingCart', 'CartItem', 'BusStop', 'CityBus', 'SchoolBus',
  'MediaFile', 'DataPoint', 'UserData', 'UserMedia', 'UserInformation',
  'UserEquipment', 'HouseMouse', 'FieldMouse', 'SnowMan', 'DoorMan',
  'FireMan', 'Workman', 'Chairwoman', 'Salesman', 'Superman', 'Batman',
  'KitchenKnife', 'PocketKnife', 'BookShelf', 'TreeLeaf', 'LifeCycle',
  'HalfLife', 'SpouseInfo', 'GooseFeather', 'FootNote', 'ToothBrush',
  'CrisisTeam', 'ThesisDraft', 'UserThesis', 'ProjectCrisis', 'OrderStatus',
  'StatusCode', 'JobQueue', 'JobQueues', 'UserAccounts', 'People', 'Children',
  'Mice', 'Categories', 'Statuses', 'Organizations', 'ActorCostumes',
  'USER', 'PERSON', 'CHILD', 'CATEGORY', 'STATUS', 'MOUSE', 'QUIZ', 'WIFE',
  'OX', 'FOOT', 'SHEEP', 'EQUIPMENT', 'HTTPRequest', 'XMLParser', 'APIKey',
  'URL', 'ID', 'Id', 'Uuid', 'UUID', 'IP', 'IPAddress', 'OAuthToken',
  'user_account', 'actor_costume', 'order_item', 'product_category',
  'user_status', 'mail_box', 'team_child', 'company_person',
  'user_accounts', 'product_categories', 'team_children',
  'user-account', 'product-category', 'user account', 'product category',
  'Item2', 'Version3', 'v2Entry', 'Entry2025', 'A', 'a', 'X', 'x', 'I', 'y',
  'Y', 'S', 'Ss', 'SS', '', ' ', 'user ', ' user', 'user\t', '_user',
  'user_', '__', 'Über', 'Café', 'naïve', 'Straße', 'Ärger', 'München',
  'φίλος', 'Дом', 'Kunde', 'Größe', 'Émile', 'Ñandú',
  '\u212Aarate', '\u212Anowledge', 'Karate', 'KNOWLEDGE', 'Help', 'HELP',
];

// underscore / camelize / column inputs.
const identifiers = [
  'id', 'name', 'userId', 'UserId', 'userID', 'OrganizationId', 'createdAt',
  'updatedAt', 'deletedAt', 'firstName', 'lastName', 'dateOfBirth',
  'isActive', 'HTMLContent', 'parseHTML', 'getHTTPResponseCode', 'ipV4',
  'iPhone', 'eBay', 'x', 'X', 'XY', 'xY', 'ABC', 'AbcDef', 'abcDef', 'abc_def',
  'abc_Def', 'Abc_Def', '_abc', '_Abc', '__Abc', 'Abc_', 'abc__def', 'a1b2',
  'A1B2', 'field1', 'Field1Name', 'field_1', 'ProjectMembers',
  'user_account_id', 'UserAccountId', 'user-account-id', 'user account id',
  'Module::ClassName', 'Admin::UserAccount', '::Foo', 'Foo::', 'a::b::C',
  'a:::b', 'a:b', 'A/B', 'foo.bar', 'foo.Bar', 'fooBar-baz', 'foo bar',
  ' foo bar ', '  padded_value  ', 'foo  bar', 'foo\tbar', 'foo\nbar',
  'foo\r\nbar', 'foo-bar', 'foo--bar', 'foo_-_bar', '-foo', '--foo', '_foo',
  '-Foo', 'foo-1', 'foo_1', 'foo_x', 'foo_X', 'foo_é', 'foo_ébar', 'Über_alles',
  'café_au_lait', 'caféAuLait', 'ÄrgerLevel', 'größeWert', 'foo\u00a0bar',
  '\u00a0foo\u00a0', 'foo\u2003bar', 'foo\u3000bar', '\ufefffoo_bar',
  'foo\u200bbar', 'foo\u2028bar', 'foo_\u2009bar', 'camelCase',
  'PascalCase', 'snake_case', 'kebab-case', 'SCREAMING_SNAKE', 'MixedUP_case',
  'aB', 'Ab', 'AB', 'a_b', 'a-b', 'a b', 'a_B', '', ' ', '1st', '1st_place',
  '$dollar', 'under$core', 'the_Übung', 'user_', 'Actor_name', 'actor_Name',
];

// Prefix + key pairs for foreign-key names.
const keyPairs = [
  ['Organization', 'id'], ['user', 'id'], ['Actor', 'name'], ['User', 'id'],
  ['Person', 'id'], ['Child', 'id'], ['Category', 'uuid'], ['Status', 'code'],
  ['UserAccount', 'id'], ['user_account', 'id'], ['user-account', 'id'],
  ['owner', 'userId'], ['owner', 'user_id'], ['Owner', 'UserId'],
  ['manager', 'id'], ['Manager', 'employeeId'], ['parent', 'id'],
  ['Team', 'ID'], ['team', 'Id'], ['Project', 'key'], ['project', 'slug'],
  ['Source', 'sourceKey'], ['target', 'target_key'], ['a', 'b'],
  ['A', 'B'], ['x', 'y_z'], ['Movie', 'imdb_id'], ['movie', 'imdb-id'],
  ['Employee', 'badgeNumber'], ['Foo', 'bar baz'], ['foo bar', 'id'],
  [' Padded ', 'id'], ['Prefix', ' id'], ['', 'id'], ['_', 'id'],
  ['Über', 'id'], ['café', 'ïd'], ['Actor', '1'], ['Actor', '1st'],
  ['Organization', 'organizationCode'], ['hasOne', 'id'],
];

// Model names for table names (each with underscored and freeze on and off).
const models = [
  'Organization', 'Person', 'Child', 'Category', 'Status', 'Mouse',
  'Employee', 'Task', 'User', 'UserAccount', 'ActorCostume', 'Actor',
  'Costume', 'Movie', 'OrderItem', 'BlogPost', 'ProductCategory', 'Address',
  'Box', 'Quiz', 'Wife', 'Leaf', 'Hero', 'Ox', 'Man', 'Woman', 'Human',
  'Matrix', 'Index', 'Analysis', 'Criterion', 'Equipment', 'Sheep', 'News',
  'Information', 'LogEntry', 'HTTPRequest', 'APIKey', 'SalesPerson',
  'TeamChild', 'UserStatus', 'MailBox', 'CityBus', 'UserData', 'UserMedia',
  'DoorMan', 'BookShelf', 'FootNote', 'user', 'person', 'user_account',
  'employee', 'People', 'Children', 'Categories', 'Statuses', 'Users',
  'UserAccounts', 'Item2', 'A', 'Über',
];

// Attribute names for column names (each with underscored on and off).
const attrs = [
  'id', 'name', 'title', 'firstName', 'lastName', 'OrganizationId',
  'UserAccountId', 'userId', 'ownerId', 'ActorId', 'CostumeId', 'managerId',
  'parentId', 'isActive', 'dateOfBirth', 'HTMLContent', 'ipV4', 'field1',
  'Field1Name', 'already_snake', 'mixed_Case', 'XMLData', 'aB', 'x', 'URL',
  'createdAt', 'updatedAt', 'deletedAt',
];

// ---- running the real code ----

const unique = (xs) => [...new Set(xs)];

// relate changes the case of ASCII letters only (see src/schema/inflect.h);
// cases whose answer depends on JavaScript's Unicode case mapping are left
// out of the tables and listed in a comment above them instead.
const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const asciiUpper = (s) => s.replace(/[a-z]/g, (c) => c.toUpperCase());
const lowerIsAscii = (s) => s.toLowerCase() === asciiLower(s);
const upperIsAscii = (s) => {
  const t = s.trim();
  const js = t.replace(/[-_\s]+(.)?/g, (m, c) => (c === undefined ? '' : c.toUpperCase()));
  const ascii = t.replace(/[-_\s]+(.)?/g, (m, c) => (c === undefined ? '' : asciiUpper(c)));
  return js === ascii;
};
const leftOut = [];
function keep(table, input, ok) {
  if (!ok) leftOut.push(`${table}(${JSON.stringify(input).replace(/[^\x20-\x7e]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))})`);
  return ok;
}

function wordCases(words, fn) {
  return unique(words).map((w) => [w, fn(w)]);
}

const pluralInputs = unique([
  ...nouns,
  ...nouns.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
  ...compounds,
  ...plurals.slice(0, 40),
]);
const singularInputs = unique([
  ...plurals,
  ...plurals.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
  ...nouns,
  ...nouns.map((w) => Utils.pluralize(w)),
  ...compounds,
  ...compounds.map((w) => Utils.pluralize(w)),
]);

const pluralizeCases = wordCases(pluralInputs, Utils.pluralize);
const singularizeCases = wordCases(singularInputs, Utils.singularize);
const underscoreCases = wordCases(
  [...identifiers, ...compounds, ...compounds.map((w) => Utils.pluralize(w))]
    .filter((w) => keep('underscore', w, lowerIsAscii(w))),
  Utils.underscore);

// Utils.camelize throws where a separator run ends the string: leave those
// to the hand-written test of relate's choice.
const camelizeCases = [];
for (const w of unique([...identifiers, ...compounds])) {
  if (!keep('camelize', w, upperIsAscii(w))) continue;
  try {
    camelizeCases.push([w, Utils.camelize(w)]);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

const keyJoinCases = [];
for (const [p, k] of keyPairs) {
  if (!keep('key_join', `${p}_${k}`, upperIsAscii([p, k].join('_')))) continue;
  try {
    keyJoinCases.push([p, k, Utils.camelize([p, k].join('_'))]);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

const sequelize = new Sequelize('postgres://u:p@127.0.0.1:1/none', { logging: false });

// The formula above is what associations use: confirm on real ones.
for (const name of ['Organization', 'Person', 'UserAccount', 'Category']) {
  const Target = sequelize.define(name, {});
  const Source = sequelize.define('Src', {});
  Source.belongsTo(Target);
  const fk = Source.belongsTo(Target, { as: 'owner' }).foreignKey;
  const expected = [Utils.camelize([name, 'id'].join('_')), Utils.camelize(['owner', 'id'].join('_'))];
  const got = [Object.keys(Source.rawAttributes).find((a) => a.startsWith(name)), fk];
  if (got[0] !== expected[0] || got[1] !== expected[1]) {
    throw new Error(`association key ${got} differs from ${expected}`);
  }
  const many = Target.hasMany(Source, { as: 'things' });
  if (many.foreignKey !== Utils.camelize([Utils.singularize(name), 'id'].join('_'))) {
    throw new Error(`hasMany key ${many.foreignKey} differs`);
  }
  keyJoinCases.push([Utils.singularize(name), 'id', many.foreignKey]);
}

const tableNameCases = [];
for (const model of unique(models)) {
  for (const underscored of [false, true]) {
    for (const freezeTableName of [false, true]) {
      if (underscored && !freezeTableName &&
          !keep('table_name', model, lowerIsAscii(Utils.pluralize(model)))) continue;
      const M = sequelize.define(model, {}, { underscored, freezeTableName });
      tableNameCases.push([model, underscored, freezeTableName, M.tableName]);
    }
  }
}

const columnNameCases = [];
for (const attr of unique(attrs)) {
  for (const underscored of [false, true]) {
    if (underscored && !keep('column_name', attr, lowerIsAscii(attr))) continue;
    // id and the timestamps are Sequelize's own default attributes
    const builtin = ['id', 'createdAt', 'updatedAt', 'deletedAt'].includes(attr);
    const M = builtin
      ? sequelize.define('Col', {}, { underscored, paranoid: true })
      : sequelize.define('Col', { [attr]: { type: DataTypes.STRING } },
        { underscored, timestamps: false });
    columnNameCases.push([attr, underscored, M.rawAttributes[attr].field]);
  }
}

// ---- writing C ----

// A C string literal of the UTF-8 bytes; octal escapes never swallow a
// following character, and '?' is escaped against trigraphs.
function cstr(s) {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (ch === '"' || ch === '\\' || ch === '?') out += '\\' + ch;
    else if (b >= 0x20 && b < 0x7f) out += ch;
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

function table(type, name, rows, fmt) {
  const lines = rows.map((r) => '    { ' + fmt(r) + ' },');
  return `static const ${type} ${name}[] = {\n${lines.join('\n')}\n};\n`;
}

const bool = (b) => (b ? 'true' : 'false');
const words = (r) => `${cstr(r[0])}, ${cstr(r[1])}`;

const total = pluralizeCases.length + singularizeCases.length +
  underscoreCases.length + camelizeCases.length + keyJoinCases.length +
  tableNameCases.length + columnNameCases.length;

const generated = [
  `/* ${total} cases from inflection ${require('inflection/package.json').version}` +
    ` and sequelize ${require('sequelize/package.json').version} */`,
  '/*\n * Left out, as their answer depends on Unicode case mapping:\n' +
    unique(leftOut).map((x) => ` *   ${x}`).join('\n') + '\n */',
  table('word_case', 'pluralize_cases', pluralizeCases, words),
  table('word_case', 'singularize_cases', singularizeCases, words),
  table('word_case', 'underscore_cases', underscoreCases, words),
  table('word_case', 'camelize_cases', camelizeCases, words),
  table('key_case', 'key_join_cases', keyJoinCases,
    (r) => `${cstr(r[0])}, ${cstr(r[1])}, ${cstr(r[2])}`),
  table('table_case', 'table_name_cases', tableNameCases,
    (r) => `${cstr(r[0])}, ${bool(r[1])}, ${bool(r[2])}, ${cstr(r[3])}`),
  table('column_case', 'column_name_cases', columnNameCases,
    (r) => `${cstr(r[0])}, ${bool(r[1])}, ${cstr(r[2])}`),
].join('\n');

const target = process.argv[2];
if (!target) {
  process.stdout.write(generated);
} else {
  const begin = '/* BEGIN GENERATED CASES */\n';
  const end = '/* END GENERATED CASES */';
  const text = fs.readFileSync(target, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${target}: GENERATED CASES markers not found`);
  fs.writeFileSync(target, text.slice(0, a + begin.length) + generated + text.slice(b));
  process.stderr.write(`${target}: ${total} cases\n`);
}
