'use strict';
/*
 * Before the suite: the pinned n8n (installed once into .cache/, reused afterwards), Debian's Chromium
 * (apt-get when missing), and the package packed with `npm pack` (so the `files` list is what is tested).
 * dist/ must be built: `npm run test:e2e` builds first.
 */
const fs = require('fs');
const path = require('path');
const { ensureN8n, PROFILES } = require('../../scripts/n8n-install');
const { ensureChromium } = require('../../scripts/ensure-chromium');
const { ROOT, packPackage, tmpDir, exitOnSignals } = require('../../scripts/lib/n8n-runner');

module.exports = async () => {
	exitOnSignals();
	const started = Date.now();
	const profileName = process.env.E2E_N8N || 'pinned';
	const profile = PROFILES[profileName];
	if (!profile) throw new Error(`E2E_N8N=${profileName}: expected one of ${Object.keys(PROFILES).join(', ')}`);
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Cortecs', 'Cortecs.node.js'))) {
		throw new Error('dist/ is not built: run "npm run build" (npm run test:e2e does it for you)');
	}
	process.stderr.write(`\n[e2e] n8n ${profile.version} on Node ${profile.node || process.versions.node}\n`);
	// screenshots, run data and logs of the previous run of this n8n version go
	const artifacts = path.join(ROOT, 'test', 'e2e', 'artifacts');
	fs.mkdirSync(artifacts, { recursive: true });
	for (const f of fs.readdirSync(artifacts)) if (f.startsWith(`n8n-${profile.version}-`)) fs.rmSync(path.join(artifacts, f), { force: true });
	const install = await ensureN8n(profile);
	const chromium = await ensureChromium();
	const work = tmpDir('cortecs-e2e-');
	const pack = packPackage(path.join(work, 'pack'));
	process.stderr.write(
		`[e2e] ready in ${Math.round((Date.now() - started) / 1000)}s: n8n ${install.cached ? 'from cache' : 'freshly installed'}, ` +
			`${path.basename(pack.tarball)} (${pack.files.length} files), ${chromium}\n`,
	);
	process.env.E2E_STATE = JSON.stringify({ profileName, install, chromium, work, tarball: pack.tarball, files: pack.files });
};
