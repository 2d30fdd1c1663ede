'use strict';
// The layout's one rule (CONTRIBUTING.md "Layout"): imports run one way. scripts/, test/ and bench/ may use
// tools/; tools/ uses none of them; nothing outside test/ uses test/.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.js', '*.ts'], {
	cwd: root,
	encoding: 'utf8',
})
	.split('\n')
	.filter(
		(file) => file && !file.startsWith('node_modules/') && fs.existsSync(path.join(root, file)),
	);

/** Every repository folder a file imports from: relative require/import paths, and require(path.join(root, …)). */
function importedTops(file) {
	const text = fs.readFileSync(path.join(root, file), 'utf8');
	const specs = [...text.matchAll(/(?:require\(|from |import\()['"](\.{1,2}\/[^'"]+)['"]/g)].map(
		(match) => match[1],
	);
	const joined = [...text.matchAll(/require\(path\.join\((?:root|ROOT), '([a-z]+)'/g)].map(
		(m) => m[1],
	);
	return [
		...specs.map(
			(spec) => path.relative(root, path.join(root, path.dirname(file), spec)).split(path.sep)[0],
		),
		...joined,
	];
}

const topOf = (file) => file.split('/')[0];

test.each([
	['nothing outside test/ imports from test/', (file) => topOf(file) !== 'test', 'test'],
	['tools/ imports nothing from scripts/', (file) => topOf(file) === 'tools', 'scripts'],
	['tools/ imports nothing from bench/', (file) => topOf(file) === 'tools', 'bench'],
	[
		'nothing imports from scripts/ (its files are entry points)',
		(file) => topOf(file) !== 'scripts',
		'scripts',
	],
])('%s', (_rule, applies, forbidden) => {
	const offenders = files.filter(applies).filter((file) => importedTops(file).includes(forbidden));
	expect(offenders).toEqual([]);
});

test('the rule sees imports at all (a file known to use tools/ is found)', () => {
	expect(importedTops('scripts/start.js')).toContain('tools');
	expect(importedTops('bench/lib/runners.js')).toContain('tools');
});
