// Writes www/survlens.d.ts, the TypeScript declarations of the embedding API
// (www/survlens.js): the API's own part (scripts/dts/api.d.ts, by hand) followed by the
// Spec and Report types generated from the contract's JSON Schemas
// (docs/schema/spec.schema.json, docs/schema/results.schema.json; also SiteSummary and
// Pooled from site_summary.schema.json and pooled.schema.json when they exist; JSON Schema 2020-12 as
// schemars writes it: $defs, $ref "#/$defs/X", type lists, anyOf/oneOf/allOf, enum,
// const, properties, required, additionalProperties, items, prefixItems).
//
//   node scripts/gen-dts.mjs            writes www/survlens.d.ts
//   node scripts/gen-dts.mjs --check    fails (exit 1) when the committed file is not
//                                       what the schemas give (scripts/test-web runs it)
//   node scripts/gen-dts.mjs --spec S --results R --out O   other files (the tests)
//
// Until the schema files exist, Spec and Report are loose placeholder types, marked so.
// No dependencies: node alone.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A TypeScript property name: as it is when it is an identifier, else quoted. */
const key = (name) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

/** A type name from a $defs name (identifier characters only). */
const typeName = (name) => name.replace(/[^A-Za-z0-9_$]/g, '_');

/** `text` as a JSDoc comment at `indent`, or nothing. */
function doc(text, indent) {
  if (!text) return '';
  const lines = String(text).trim().split('\n').map((l) => l.replace(/\*\//g, '* /').trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

const PRIMITIVE = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null' };

/** Whether type text `t` has one of `ops` outside brackets and braces (a union or intersection). */
function compound(t, ops = '|&') {
  let depth = 0;
  for (const c of t) {
    if ('([{<'.includes(c)) depth += 1;
    else if (')]}>'.includes(c)) depth -= 1;
    else if (depth === 0 && ops.includes(c)) return true;
  }
  return false;
}

/** Joins member types into a union, each once, parenthesised where needed. */
function union(types) {
  const unique = [...new Set(types)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length ? unique.map((t) => (compound(t, '&') ? `(${t})` : t)).join(' | ') : 'never';
}

/** The TypeScript type of `schema`; `refs` maps a $ref to its type name. */
function typeOf(schema, refs, indent) {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (schema.$ref) {
    const name = refs.get(schema.$ref);
    if (!name) throw new Error(`unresolved $ref ${schema.$ref}`);
    return name;
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum) return union(schema.enum.map((v) => JSON.stringify(v)));
  for (const k of ['anyOf', 'oneOf']) {
    if (schema[k]) return union(schema[k].map((s) => typeOf({ ...stripped(schema, k), ...s }, refs, indent)));
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => typeOf(s, refs, indent));
    const own = stripped(schema, 'allOf');
    if (own.type || own.properties) parts.push(typeOf(own, refs, indent));
    return parts.map((t) => (compound(t, '|') ? `(${t})` : t)).join(' & ');
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : inferType(schema);
  return union(types.map((t) => typeOfType(t, schema, refs, indent)));
}

/** `schema` without `k` and what only describes it (its type's members come from k). */
function stripped(schema, k) {
  const { [k]: _, description: __, title: ___, ...rest } = schema;
  return rest;
}

function inferType(schema) {
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  return [];
}

function typeOfType(t, schema, refs, indent) {
  if (PRIMITIVE[t]) return PRIMITIVE[t];
  if (t === 'array') {
    if (schema.prefixItems) {
      return `[${schema.prefixItems.map((s) => typeOf(s, refs, indent)).join(', ')}]`;
    }
    const item = typeOf(schema.items, refs, indent);
    return compound(item) ? `(${item})[]` : `${item}[]`;
  }
  if (t === 'object') return objectType(schema, refs, indent);
  throw new Error(`unknown JSON Schema type ${t}`);
}

/** An object literal type: its properties (required ones without `?`) and the rest. */
function objectType(schema, refs, indent) {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const extra = schema.additionalProperties;
  const inner = `${indent}  `;
  const lines = props.map(([name, s]) => `${doc(s.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(s, refs, inner)};\n`);
  if (extra !== false && extra !== undefined) {
    // With named properties, the rest must admit them too: unknown.
    const rest = props.length ? 'unknown' : typeOf(extra, refs, inner);
    lines.push(`${inner}[key: string]: ${rest};\n`);
  } else if (extra === undefined && !props.length) {
    return 'Record<string, unknown>';
  }
  return lines.length ? `{\n${lines.join('')}${indent}}` : 'Record<string, never>';
}

/** One declaration: an interface for an object with properties, a type alias otherwise. */
function declaration(name, schema, refs) {
  const comment = doc(schema.description ?? schema.title, '');
  const isObject = (schema.type === 'object' || (!schema.type && schema.properties)) && !schema.anyOf && !schema.oneOf && !schema.allOf;
  const body = isObject ? objectType(schema, refs, '') : null;
  // An object without properties ({}) is a type alias: `interface X Record<…>` is not TypeScript.
  if (body && body.startsWith('{')) return `${comment}export interface ${name} ${body}\n`;
  if (body) return `${comment}export type ${name} = ${body};\n`;
  return `${comment}export type ${name} = ${typeOf(schema, refs, '')};\n`;
}

/** `schema` as JSON text without its words (description, title): what makes two types one. */
const shape = (schema) => JSON.stringify(schema, (k, v) => (k === 'description' || k === 'title' ? undefined : v));

/**
 * TypeScript declarations of `schemas` ({Name: schema}, each a root schema with its $defs),
 * roots first. schemars names a $defs entry by its Rust type, so one name is one type: an
 * entry named as a root (the Report's copy of the Spec) is that root, and an entry shared
 * by several schemas is declared once; two entries of one name and different shapes are
 * an error.
 */
export function declarations(schemas) {
  const roots = new Set(Object.keys(schemas));
  const defs = new Map(); // type name -> shape
  const out = [];
  const add = (name, schema, refs) => {
    const seen = defs.get(name);
    if (seen !== undefined) {
      if (seen !== shape(schema)) throw new Error(`two different schemas are named ${name}`);
      return;
    }
    defs.set(name, shape(schema));
    out.push(declaration(name, schema, refs));
  };
  for (const [rootName, root] of Object.entries(schemas)) {
    const refs = new Map([['#', rootName]]);
    for (const [name] of Object.entries(root.$defs ?? {})) refs.set(`#/$defs/${name}`, typeName(name));
    const { $defs, $schema, $id, title, ...body } = root;
    add(rootName, { ...body, description: body.description ?? title }, refs);
  }
  for (const root of Object.values(schemas)) {
    const refs = new Map();
    for (const [name] of Object.entries(root.$defs ?? {})) refs.set(`#/$defs/${name}`, typeName(name));
    for (const [name, s] of Object.entries(root.$defs ?? {})) {
      if (!roots.has(typeName(name))) add(typeName(name), s, refs);
    }
  }
  return out.join('\n');
}

const PLACEHOLDER = `// PLACEHOLDER: docs/schema/spec.schema.json and docs/schema/results.schema.json are not
// in the repository yet, so Spec and Report are loose types. Once they are,
// \`node scripts/gen-dts.mjs\` writes the generated types here.

/** The analysis spec (docs/spec.md). PLACEHOLDER: loose until the schema exists. */
export type Spec = { [key: string]: any };
/** The results document (docs/results.md). PLACEHOLDER: loose until the schema exists. */
export type Report = { [key: string]: any };
`;

/** The whole d.ts text: the API part, then the Spec and Report types (or the placeholder). */
export function dts({ api, spec, results, siteSummary, pooled }) {
  const head = '// GENERATED by scripts/gen-dts.mjs from scripts/dts/api.d.ts and the JSON Schemas of\n'
    + '// docs/schema/: do not edit; edit those and run `node scripts/gen-dts.mjs`.\n\n';
  const types = spec && results ? `// ---- Spec and Report, from the JSON Schemas ----\n\n${declarations({ Spec: spec, Report: results, ...(siteSummary ? { SiteSummary: siteSummary } : {}), ...(pooled ? { Pooled: pooled } : {}) })}` : PLACEHOLDER;
  return `${head}${api.trimEnd()}\n\n${types}`;
}

function main(argv) {
  const arg = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
  const specPath = resolve(ROOT, arg('--spec', 'docs/schema/spec.schema.json'));
  const resultsPath = resolve(ROOT, arg('--results', 'docs/schema/results.schema.json'));
  const out = resolve(ROOT, arg('--out', 'www/survlens.d.ts'));
  const api = readFileSync(resolve(ROOT, arg('--api', join('scripts', 'dts', 'api.d.ts'))), 'utf8');
  const read = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null);
  const spec = read(specPath);
  const results = read(resultsPath);
  // The site summary and the pooled document of `survlens site` / `survlens pool`.
  const siteSummary = read(resolve(ROOT, arg('--site-summary', 'docs/schema/site_summary.schema.json')));
  const pooled = read(resolve(ROOT, arg('--pooled', 'docs/schema/pooled.schema.json')));
  if (!spec !== !results) throw new Error('one schema of two: docs/schema needs spec.schema.json and results.schema.json');
  const text = dts({ api, spec, results, siteSummary, pooled });
  if (argv.includes('--check')) {
    const committed = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (committed !== text) {
      console.error(`gen-dts: ${out} is not what the schemas give: run \`node scripts/gen-dts.mjs\` and commit it`);
      process.exit(1);
    }
    console.error(`gen-dts: ${out} is up to date`);
    return;
  }
  writeFileSync(out, text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
