'use strict';
/* The package as npm publishes it: what `npm pack` (run by global-setup.js) puts in the tarball. */
const path = require('path');
const { state, ROOT, readJson } = require('./helpers');

describe(`the packed tarball (npm pack)`, () => {
	test('holds the compiled node, credential and icons, and nothing else', () => {
		const files = state.files;
		const pkg = readJson(path.join(ROOT, 'package.json'));
		for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(f);
		expect(files).toEqual(
			expect.arrayContaining([
				'package.json',
				'dist/nodes/Cortecs/Cortecs.node.js',
				'dist/icons/cortecs.svg',
				'dist/icons/cortecs.dark.svg',
				'dist/credentials/CortecsApi.credentials.js',
			]),
		);
		const unexpected = files.filter(
			(f) =>
				!/^(package\.json|README\.md|LICEN[SC]E(\.md)?|CHANGELOG\.md)$/i.test(f) &&
				!f.startsWith('dist/'),
		);
		expect(unexpected).toEqual([]);
		expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
		expect(files.filter((f) => /(^|\/)test\/|\.test\.js$/.test(f))).toEqual([]);
	});
});
