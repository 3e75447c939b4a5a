// The software bill of materials (CycloneDX 1.5 JSON) and the third-party licence texts
// of a release (scripts/release).
//
// Why a small generator rather than cargo-cyclonedx / cargo-about: both are `cargo
// install`s that compile for many minutes on the 2-core build machine (cargo-about
// alone pulls ~250 crates), on every fresh CI machine, and neither covers the npm side.
// Everything they would read is here already: `cargo metadata` gives the resolved crate
// graph of exactly the shipped build (wasm32 target, features wasm + xlsx, normal
// dependencies only: no build scripts, proc-macros' own deps or dev-dependencies),
// Cargo.lock the crates' SHA-256, package-lock.json the npm packages with their
// integrity, and each crate's downloaded source its licence files.
// The output has no timestamp and no local path: the same commit gives the same bytes.
//
//   cargo metadata ... | node scripts/sbom.mjs OUT_SBOM.json OUT_LICENSES.txt
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [sbomOut, licOut] = process.argv.slice(2);
if (!sbomOut || !licOut) { console.error('usage: cargo metadata ... | node scripts/sbom.mjs SBOM.json LICENSES.txt'); process.exit(2); }
const meta = JSON.parse(readFileSync(0, 'utf8'));

// Cargo.lock checksums (sha256 of the .crate file).
const lock = readFileSync(join(ROOT, 'Cargo.lock'), 'utf8');
const checksums = new Map();
for (const block of lock.split('[[package]]')) {
  const name = /^name = "([^"]+)"/m.exec(block)?.[1];
  const version = /^version = "([^"]+)"/m.exec(block)?.[1];
  const sum = /^checksum = "([0-9a-f]{64})"/m.exec(block)?.[1];
  if (name && sum) checksums.set(`${name}@${version}`, sum);
}

// The shipped crates: the closure of the root's normal dependencies.
const byId = new Map(meta.packages.map((p) => [p.id, p]));
const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
const workspace = new Set(meta.workspace_members);
const rootId = meta.resolve.root ?? meta.workspace_members.find((id) => byId.get(id).name === 'survlens');
const shipped = new Set();
const edges = new Map();
const stack = [rootId];
while (stack.length) {
  const id = stack.pop();
  if (shipped.has(id)) continue;
  shipped.add(id);
  const deps = (nodes.get(id)?.deps ?? []).filter((d) => d.dep_kinds.some((k) => k.kind === null)).map((d) => d.pkg);
  edges.set(id, deps);
  stack.push(...deps);
}
const ref = (p) => (workspace.has(p.id) ? `survlens-workspace:${p.name}@${p.version}` : `pkg:cargo/${p.name}@${p.version}`);
const rootPkg = byId.get(rootId);
const crates = [...shipped].map((id) => byId.get(id)).sort((a, b) => ref(a).localeCompare(ref(b)));

const licenseOf = (expr) => (expr ? [{ expression: expr.replace(/\//g, ' OR ') }] : []);
const rustComponents = crates.filter((p) => p.id !== rootId).map((p) => {
  const c = {
    type: 'library', 'bom-ref': ref(p), name: p.name, version: p.version, scope: 'required',
    licenses: licenseOf(p.license),
  };
  if (!workspace.has(p.id)) c.purl = ref(p);
  const sum = checksums.get(`${p.name}@${p.version}`);
  if (sum) c.hashes = [{ alg: 'SHA-256', content: sum }];
  if (p.repository) c.externalReferences = [{ type: 'vcs', url: p.repository }];
  c.properties = [{ name: 'survlens:ecosystem', value: 'cargo (compiled into the WebAssembly modules)' }];
  return c;
});

// npm: build and test tools only (binaryen's wasm-opt transforms the modules; the app
// itself ships no npm code): scope "excluded" in CycloneDX's sense.
const pkgLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const npmComponents = Object.entries(pkgLock.packages).filter(([path]) => path.startsWith('node_modules/'))
  .map(([path, p]) => {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
    const c = {
      type: 'library', 'bom-ref': `pkg:npm/${purlName}@${p.version}`, name, version: p.version, scope: 'excluded',
      licenses: licenseOf(p.license), purl: `pkg:npm/${purlName}@${p.version}`,
    };
    const m = /^sha512-(.+)$/.exec(p.integrity ?? '');
    if (m) c.hashes = [{ alg: 'SHA-512', content: Buffer.from(m[1], 'base64').toString('hex') }];
    c.properties = [{ name: 'survlens:ecosystem', value: `npm (${p.dev ? 'build and test tool' : 'tool'}; not in the bundle)` }];
    return c;
  })
  .sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref']));

const body = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  metadata: {
    tools: { components: [{ type: 'application', name: 'survlens scripts/sbom.mjs', version: rootPkg.version }] },
    component: {
      type: 'application', 'bom-ref': ref(rootPkg), name: rootPkg.name, version: rootPkg.version,
      licenses: licenseOf(rootPkg.license), description: rootPkg.description ?? undefined,
    },
  },
  components: [...rustComponents, ...npmComponents],
  dependencies: crates.map((p) => ({ ref: ref(p), dependsOn: [...new Set(edges.get(p.id).map((d) => ref(byId.get(d))))].sort() })),
};
// A serial number derived from the content (no randomness, no clock).
const content = JSON.stringify(body);
const h = createHash('sha256').update(content).digest('hex');
const serial = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
writeFileSync(sbomOut, `${JSON.stringify({ bomFormat: body.bomFormat, specVersion: body.specVersion, serialNumber: serial, ...body }, null, 2)}\n`);

// Licence texts of every third-party crate compiled into the modules.
const LICENSE_FILE = /^(LICEN[CS]E|COPYING|COPYRIGHT|NOTICE|UNLICENSE)/i;
const missing = [];
let text = `Third-party software in SurvLens ${rootPkg.version}\n\nThe WebAssembly modules of this release contain the Rust crates below (the\nclosure of the normal dependencies of the wasm build, features wasm + xlsx).\nEach is listed with its licence as declared in its Cargo.toml and the licence\nfiles of its published package. The npm packages of package-lock.json are build\nand test tools, not part of the bundle (see the SBOM, scope "excluded").\n`;
for (const p of crates.filter((c) => !workspace.has(c.id))) {
  const dir = dirname(p.manifest_path);
  const files = readdirSync(dir).filter((f) => LICENSE_FILE.test(f) && statSync(join(dir, f)).isFile()).sort();
  text += `\n${'='.repeat(78)}\n${p.name} ${p.version}\nLicence: ${p.license ?? p.license_file ?? '(not declared)'}\n`;
  if (p.repository) text += `Source: ${p.repository}\n`;
  if (files.length === 0) {
    missing.push(`${p.name}@${p.version}`);
    text += '(The published crate carries no licence file; the licence above is its declaration.)\n';
  }
  for (const f of files) text += `\n--- ${f} ---\n${readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trimEnd()}\n`;
}
writeFileSync(licOut, text);
console.error(`sbom: ${rustComponents.length} crates (${rustComponents.filter((c) => c.purl).length} third-party), ${npmComponents.length} npm tools; ${missing.length} crates without a licence file${missing.length ? `: ${missing.join(', ')}` : ''}`);
