/**
 * What `npm publish` would ship (`npm pack --dry-run --json`): package.json, README, LICENSE, CHANGELOG and the
 * build of every source file in dist/ (JavaScript, its type declarations, the node's codex JSON and the icons),
 * nothing else: no tests, no TypeScript sources, and no source maps, which would point at sources not shipped.
 * The list expected is derived from the source tree, so a file added to nodes/ or credentials/ is expected too.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Relative paths of every file under a folder of the checkout. */
function filesUnder(folder) {
	return fs
		.readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) =>
			path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
		);
}

/**
 * dist/ paths the build makes of one source file (tsc for TypeScript and JSON, gulp build:icons for icons); a
 * declaration file in the sources only types them and is not emitted.
 */
function builtFrom(source) {
	if (source.endsWith('.d.ts')) return [];
	if (source.endsWith('.ts')) {
		const base = `dist/${source.slice(0, -'.ts'.length)}`;
		return [`${base}.js`, `${base}.d.ts`];
	}
	if (/\.(json|svg|png)$/.test(source)) return [`dist/${source}`];
	return [];
}

const packed = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	}),
)[0];
const shipped = packed.files.map((f) => f.path).sort();

test('the package holds the build of every source file, the docs and package.json, and nothing else', () => {
	const sources = [
		'index.ts',
		...filesUnder('nodes'),
		...filesUnder('credentials'),
		...filesUnder('icons'),
	];
	const expected = [
		'package.json',
		'README.md',
		'LICENSE',
		'CHANGELOG.md',
		...sources.flatMap(builtFrom),
	].sort();
	expect(shipped).toEqual(expected);
});

test('no source maps, tests or TypeScript sources are shipped', () => {
	expect(shipped.filter((f) => f.endsWith('.map'))).toEqual([]);
	expect(shipped.filter((f) => /(^|\/)test\/|\.test\.js$/.test(f))).toEqual([]);
	expect(shipped.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('every file package.json points n8n and Node at is shipped', () => {
	for (const file of [pkg.main, ...pkg.n8n.nodes, ...pkg.n8n.credentials])
		expect(shipped).toContain(file);
});

test('the package has no runtime dependencies', () => {
	expect(pkg.dependencies).toBeUndefined();
	expect(packed.bundled).toEqual([]);
});
