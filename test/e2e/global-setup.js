'use strict';
/*
 * Before the suite: the pinned n8n (installed once into .cache/, reused afterwards), Debian's Chromium
 * (apt-get when missing), the package packed with `npm pack` (so the `files` list is what is tested), and
 * one n8n user folder for every e2e file: the packed package installed and the workflows imported (each
 * file's useN8n() imports the credentials, pointing at its own test server).
 * dist/ must be built: `npm run test:e2e` builds first.
 */
const fs = require('fs');
const path = require('path');
const { ensureN8n, PROFILES } = require('../../tools/n8n/install');
const { ensureChromium } = require('../../tools/n8n/chromium');
const {
	N8n,
	ROOT,
	packPackage,
	tmpDir,
	exitOnSignals,
	installTarball,
} = require('../../tools/n8n/runner');
const { EXAMPLES_DIR, provideExampleFiles } = require('../../tools/n8n/setup');

const SCHEDULED_COPY_ID = 'cortecsE2eSched1';

/**
 * The user folder the e2e files share, set up as npm start sets up its own: the package, the files the
 * examples read, and every workflow (examples/, test/e2e/workflows/, and a copy of the scheduled example
 * that fires every 3 seconds).
 */
async function prepareN8nHome({ install, work, tarball }) {
	const n8nHome = path.join(work, 'n8n-home');
	installTarball(n8nHome, tarball);
	provideExampleFiles(n8nHome);
	const scheduledDir = path.join(work, 'scheduled');
	fs.mkdirSync(scheduledDir, { recursive: true });
	const copy = JSON.parse(
		fs.readFileSync(path.join(EXAMPLES_DIR, 'scheduled-summaries.json'), 'utf8'),
	);
	copy.id = SCHEDULED_COPY_ID;
	copy.name = 'e2e: scheduled summaries, every 3 seconds';
	copy.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger').parameters.rule = {
		interval: [{ field: 'seconds', secondsInterval: 3 }],
	};
	fs.writeFileSync(path.join(scheduledDir, 'scheduled-copy.json'), JSON.stringify(copy, null, 2));
	const n8n = new N8n({ install, userFolder: n8nHome });
	for (const dir of [EXAMPLES_DIR, path.join(__dirname, 'workflows'), scheduledDir]) {
		await n8n.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
	}
	return n8nHome;
}

module.exports = async () => {
	exitOnSignals();
	const started = Date.now();
	const profileName = process.env.E2E_N8N || 'pinned';
	const profile = PROFILES[profileName];
	if (!profile)
		throw new Error(`E2E_N8N=${profileName}: expected one of ${Object.keys(PROFILES).join(', ')}`);
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Cortecs', 'Cortecs.node.js'))) {
		throw new Error('dist/ is not built: run "npm run build" (npm run test:e2e does it for you)');
	}
	process.stderr.write(
		`\n[e2e] n8n ${profile.version} on Node ${profile.node || process.versions.node}\n`,
	);
	// screenshots, run data and logs of the previous run of this n8n version go
	const artifacts = path.join(ROOT, 'test', 'e2e', 'artifacts');
	fs.mkdirSync(artifacts, { recursive: true });
	for (const f of fs.readdirSync(artifacts))
		if (f.startsWith(`n8n-${profile.version}-`))
			fs.rmSync(path.join(artifacts, f), { force: true });
	const install = await ensureN8n(profile);
	const chromium = await ensureChromium();
	const work = tmpDir('cortecs-e2e-');
	const pack = packPackage(path.join(work, 'pack'));
	const n8nHome = await prepareN8nHome({ install, work, tarball: pack.tarball });
	process.stderr.write(
		`[e2e] ready in ${Math.round((Date.now() - started) / 1000)}s: n8n ${install.cached ? 'from cache' : 'freshly installed'}, ` +
			`${path.basename(pack.tarball)} (${pack.files.length} files), ${chromium}\n`,
	);
	process.env.E2E_STATE = JSON.stringify({
		profileName,
		install,
		chromium,
		work,
		tarball: pack.tarball,
		files: pack.files,
		n8nHome,
		scheduledCopyId: SCHEDULED_COPY_ID,
	});
};
