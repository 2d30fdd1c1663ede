/**
 * `npm run lint` (eslint.config.js) applies every rule n8n's scanner applies (its own `buildScanConfig`), at
 * least as strictly, to every file the scanner lints in the source: package.json and every .js, .ts and .json
 * file under nodes/ and credentials/, including files of nodes not written yet.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

const existing = ['nodes', 'credentials'].flatMap((folder) =>
	fs
		.readdirSync(path.join(root, folder), { recursive: true })
		.filter((f) => /\.(js|ts|json)$/.test(f))
		.map((f) => `${folder}/${f.split(path.sep).join('/')}`),
);
const future = [
	'nodes/Future/Future.node.ts',
	'nodes/Future/shared/helper.ts',
	'nodes/Future/helper.js',
	'nodes/Future/Future.node.json',
	'credentials/FutureApi.credentials.ts',
];
const files = ['package.json', ...existing, ...future];

/** Rule severities (0, 1, 2) per file, from the project's config and from the scanner's. */
function severities() {
	const script = `
		import { ESLint } from 'eslint';
		import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';
		const files = JSON.parse(process.argv[1]);
		const level = (v) => { const s = Array.isArray(v) ? v[0] : v; return ({ off: 0, warn: 1, error: 2 })[s] ?? s; };
		const rulesOf = async (eslint, file) => Object.fromEntries(
			Object.entries((await eslint.calculateConfigForFile(file))?.rules ?? {}).map(([k, v]) => [k, level(v)]));
		const project = new ESLint({ cwd: process.cwd() });
		const scanner = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: await buildScanConfig() });
		const out = {};
		for (const file of files) out[file] = { project: await rulesOf(project, file), scanner: await rulesOf(scanner, file) };
		console.log(JSON.stringify(out));
	`;
	const output = execFileSync(
		process.execPath,
		['--input-type=module', '-e', script, JSON.stringify(files)],
		// The rules of every file take more than execFileSync's default 1 MiB of output.
		{ cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
	);
	return JSON.parse(output);
}

const byFile = severities();

test.each(files)('%s: every rule of the scanner is on, at least as strictly', (file) => {
	const { project, scanner } = byFile[file];
	const weaker = Object.entries(scanner)
		.filter(([rule, level]) => level > 0 && !((project[rule] ?? 0) >= level))
		.map(([rule, level]) => `${rule}: scanner ${level}, project ${project[rule] ?? 'unset'}`);
	expect(weaker).toEqual([]);
	expect(Object.keys(scanner).length).toBeGreaterThan(30);
});

test('the restricted globals and imports rules are errors for every file under nodes/ and credentials/', () => {
	for (const file of files.filter((f) => f !== 'package.json')) {
		expect([file, byFile[file].project['@n8n/community-nodes/no-restricted-globals']]).toEqual([
			file,
			2,
		]);
		expect([file, byFile[file].project['@n8n/community-nodes/no-restricted-imports']]).toEqual([
			file,
			2,
		]);
	}
});
