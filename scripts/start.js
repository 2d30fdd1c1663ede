#!/usr/bin/env node
'use strict';
/*
 * `npm start`: n8n with this package, ready to use, in one command.
 *
 *   1. builds the package (npm run build) and packs it (npm pack);
 *   2. installs the pinned n8n once into the install cache (tools/n8n/install.js; shared by clones);
 *   3. installs the tarball where n8n loads community packages from;
 *   4. without CORTECS_API_KEY: starts the bundled Cortecs-compatible server on 127.0.0.1;
 *      with it: the credential points at the real API (CORTECS_BASE_URL overrides the address);
 *   5. copies the files the examples read (examples/files/) into the folder n8n may read and write
 *      (tools/n8n/files.js), imports the credentials and the example workflows, sets up a local owner;
 *   6. starts n8n on 127.0.0.1 and prints the URL.
 *
 * Ctrl-C, or SIGINT/SIGTERM/SIGHUP to this process or to the `npm start` process (npm passes them on:
 * package.json's script execs this file, so no shell sits in between), stops everything it started; so
 * does the npm process going away.
 *
 * Options: --port N (default 5678, or a free port when it is taken), --fresh (start from an empty n8n
 * folder), --latest (the newest n8n known to install here, on Node 24), --no-build.
 * n8n's data (workflows you create, executions) lives in .cache/n8n-home/ (N8N_START_HOME overrides it)
 * between runs; the examples and the two credentials are imported again (overwritten) at every start.
 */
const fs = require('fs');
const path = require('path');
const { ensureN8n, PROFILES } = require('../tools/n8n/install');
const { N8n, ROOT, getFreePort, isPortFree, tmpDir } = require('../tools/n8n/runner');
const { exitOnSignals, exitWithParent, spawnTracked, stopAll } = require('../tools/n8n/processes');
const {
	installPackage,
	provideExampleFiles,
	importAll,
	exampleFiles,
	CREDENTIALS,
	chatModelMinN8n,
	runsChatModel,
} = require('../tools/n8n/setup');

const OWNER = {
	email: process.env.N8N_START_EMAIL || 'demo@example.com',
	password: process.env.N8N_START_PASSWORD || 'Cortecs-demo-1',
	firstName: 'Demo',
	lastName: 'User',
};

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : undefined;
};

const say = (msg) => process.stdout.write(`[start] ${msg}\n`);
/** A path inside this checkout, relative to it. */
const shown = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);

async function main() {
	let mock = null;
	let n8n = null;
	let stopping = false;
	exitOnSignals(async () => {
		stopping = true;
		process.stdout.write('\n');
		say('stopping n8n and the bundled server…');
		if (n8n) await n8n.stop();
		if (mock) await mock.close();
		await stopAll();
		say('stopped: nothing npm start started is running any more');
	});
	exitWithParent();

	const profile = flag('--latest') ? PROFILES.latest : PROFILES.pinned;

	if (!flag('--no-build')) {
		say('building the package (npm run build)…');
		const build = spawnTracked('npm', ['run', 'build', '--silent'], {
			cwd: ROOT,
			stdio: 'inherit',
		});
		const code = await new Promise((resolve) => build.once('exit', resolve));
		if (code !== 0) throw new Error('npm run build failed');
	}

	const install = await ensureN8n(profile);

	const home =
		process.env.N8N_START_HOME ||
		path.join(
			ROOT,
			'.cache',
			profile === PROFILES.pinned ? 'n8n-home' : `n8n-home-${profile.version}`,
		);
	if (flag('--fresh')) fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(home, { recursive: true });
	const work = tmpDir('cortecs-start-');
	const { tarball } = installPackage(home, path.join(work, 'pack'));
	say(
		`installed ${path.basename(tarball)} into ${shown(home)}/.n8n/nodes (as n8n installs community packages)`,
	);
	const files = provideExampleFiles(home);

	let apiKey = process.env.CORTECS_API_KEY;
	let baseUrl = process.env.CORTECS_BASE_URL || 'https://api.cortecs.ai/v1';
	let backend;
	if (apiKey) {
		backend = `the Cortecs API at ${baseUrl} (key from CORTECS_API_KEY)`;
	} else {
		const { startCortecsServer, VALID_KEY } = require('../tools/cortecs-server');
		const port = (await isPortFree(8787)) ? 8787 : 0;
		// 'demo': answers that show what each example is for (see tools/cortecs-server/demo.js)
		mock = await startCortecsServer({ port, quiet: true, style: 'demo' });
		apiKey = VALID_KEY;
		baseUrl = mock.url;
		backend = `the bundled Cortecs-compatible test server at ${baseUrl} (set CORTECS_API_KEY to use the real API)`;
	}

	n8n = new N8n({
		install,
		userFolder: home,
		env: { N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'warn' },
		onLog: (line) => {
			if (/Python task runner|python runner|virtual environment is missing/i.test(line)) return;
			process.stdout.write(`[n8n] ${line}\n`);
		},
	});
	say('importing the credentials and the example workflows…');
	await importAll(n8n, { apiKey, baseUrl, workDir: path.join(work, 'import') });
	fs.rmSync(work, { recursive: true, force: true });

	let port = Number(option('--port') || process.env.N8N_PORT || 5678);
	if (!(await isPortFree(port))) {
		const free = await getFreePort();
		say(`port ${port} is taken: using ${free}`);
		port = free;
	}
	say(`starting n8n ${install.version}…`);
	await n8n.start({ port, readyTimeoutMs: 3 * 60 * 1000 });
	let signIn = `${OWNER.email} / ${OWNER.password}`;
	try {
		await n8n.ensureOwnerAndLogin(OWNER);
	} catch {
		// the owner of .cache/n8n-home was set up earlier with other details (or changed in the editor)
		signIn = 'with the account you set up earlier (npm start -- --fresh starts over)';
	}

	const names = exampleFiles().map((f) => JSON.parse(fs.readFileSync(f, 'utf8')).name);
	const lines = [
		'',
		`  n8n ${install.version} with n8n-nodes-cortecs is running:`,
		'',
		`    ${n8n.url}`,
		'',
		`  Sign in:      ${signIn}`,
		`  Cortecs:      ${backend}`,
		`  Credentials:  "${CREDENTIALS.cortecs.name}" (Cortecs API), "${CREDENTIALS.openAi.name}" (for n8n's own OpenAI nodes, pointed at Cortecs)`,
		`  Examples:     ${names.join('\n                ')}`,
		...(runsChatModel(install.version)
			? []
			: [
					`                (the two on the Cortecs Chat Model need n8n ${chatModelMinN8n()} or newer: npm start -- --latest)`,
				]),
		`  Files:        ${shown(files)} (what the examples read and write: .n8n-files/ in their paths)`,
		'',
		'  Press Ctrl-C to stop.',
		'',
	];
	process.stdout.write(lines.join('\n') + '\n');

	// n8n stopping by itself ends the session too
	await new Promise((resolve) => n8n.server.once('exit', resolve));
	if (stopping) return; // Ctrl-C: the signal handler finishes and exits
	say('n8n exited');
	if (mock) await mock.close();
	await stopAll();
	process.exit(1);
}

main().catch(async (err) => {
	process.stderr.write(`[start] ${err.stack || err.message}\n`);
	await stopAll();
	process.exit(1);
});
