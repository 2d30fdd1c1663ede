'use strict';

// tools/n8n/install-progress.js: what a cold `npm start` says while npm installs n8n, from npm's own
// `--loglevel=info` lines (as npm 11 writes them).

const { InstallProgress } = require('../../tools/n8n/install-progress');

test('phases: resolving, downloading and unpacking, then install scripts naming the native build and its time', () => {
	let now = 0;
	const p = new InstallProgress(() => now);
	expect(p.feed('npm info using npm@11.19.1')).toBeNull();
	expect(
		p.feed('npm http fetch GET 200 https://registry.npmjs.org/n8n 310ms (cache miss)'),
	).toBeNull();
	expect(
		p.feed(
			'npm http fetch GET 200 https://registry.npmjs.org/@n8n%2fconfig 52ms (cache revalidated)',
		),
	).toBeNull();
	expect(p.status()).toBe('resolving the dependency tree: 2 package manifests fetched');

	p.feed('npm http cache long@https://registry.npmjs.org/long/-/long-5.3.2.tgz 0ms (cache hit)');
	p.feed(
		'npm http fetch GET 200 https://registry.npmjs.org/long/-/long-5.3.2.tgz 378ms (cache miss)',
	);
	p.feed(
		'npm http fetch GET 200 https://registry.npmjs.org/sqlite3/-/sqlite3-5.1.7.tgz 90ms (cache miss)',
	);
	expect(p.status(1)).toBe('downloading and unpacking packages: 2 fetched, 1 unpacked');

	expect(
		p.feed(
			'npm info run @scarf/scarf@1.4.0 postinstall node_modules/@scarf/scarf node ./report.js',
		),
	).toBeNull();
	expect(
		p.feed(
			'npm info run sqlite3@5.1.7 install node_modules/sqlite3 prebuild-install -r napi || node-gyp rebuild',
		),
	).toBe(
		'building sqlite3 (native module): compiles SQLite from C/C++ source, no prebuilt binary is reachable offline: usually 4-6 minutes on 2 cores',
	);
	now = 2000;
	expect(
		p.feed('npm info run @scarf/scarf@1.4.0 postinstall { code: 0, signal: null }'),
	).toBeNull();
	now = 272000;
	expect(p.status()).toBe('running install scripts: sqlite3 4m32s');
	expect(p.feed('npm info run sqlite3@5.1.7 install { code: 0, signal: null }')).toBe(
		'sqlite3 built in 4m32s',
	);
	expect(p.status()).toBe('running install scripts: 2 finished');
});

test('a failed native build says so', () => {
	const p = new InstallProgress(() => 0);
	p.feed('npm info run cpu-features@0.0.10 install node_modules/cpu-features node buildcheck.js');
	expect(p.feed('npm info run cpu-features@0.0.10 install { code: 1, signal: null }')).toBe(
		"cpu-features's install script failed after 0s",
	);
});
