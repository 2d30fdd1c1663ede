/**
 * scripts/scan.js (npm run scan) fails when a rule of n8n's scanner is broken, in either leg: on a scratch copy
 * of the package with a forbidden import in the source, then with a forbidden global in the compiled output
 * that `npm pack` ships. Each run's other leg passes, so each is the other's control.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const SHIPPED_AND_SCANNED = [
	'package.json',
	'README.md',
	'LICENSE',
	'CHANGELOG.md',
	'nodes',
	'credentials',
	'icons',
	'dist',
];

let copy;

beforeEach(() => {
	copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-scan-test-'));
	for (const entry of SHIPPED_AND_SCANNED) {
		fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
	}
});

afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

function scan() {
	const run = spawnSync(process.execPath, [path.join(root, 'scripts/scan.js'), copy], {
		encoding: 'utf8',
	});
	return { code: run.status, output: run.stdout + run.stderr };
}

function append(relative, text) {
	fs.appendFileSync(path.join(copy, relative), text);
}

test('a forbidden import in the source fails the source leg', () => {
	append(
		'nodes/Cortecs/Cortecs.node.ts',
		"\nimport * as fs from 'fs';\nexport const files = fs;\n",
	);
	const { code, output } = scan();
	expect(output).toMatch(/scan source: FAILED: ESLint violations found/);
	expect(output).toMatch(
		/nodes\/Cortecs\/Cortecs\.node\.ts\n.*error {2}Import of 'fs' is not allowed.*@n8n\/community-nodes\/no-restricted-imports/,
	);
	expect(output).toMatch(/scan npm pack: passed/);
	expect(code).toBe(1);
}, 120_000);

test('a forbidden global in the packed output fails the npm pack leg', () => {
	append('dist/nodes/Cortecs/Cortecs.node.js', '\nexports.environment = process.env;\n');
	const { code, output } = scan();
	expect(output).toMatch(/scan source: passed/);
	expect(output).toMatch(/scan npm pack: FAILED: ESLint violations found/);
	expect(output).toMatch(
		/package\/dist\/nodes\/Cortecs\/Cortecs\.node\.js\n.*error {2}Use of restricted global 'process'.*@n8n\/community-nodes\/no-restricted-globals/,
	);
	expect(code).toBe(1);
}, 120_000);
