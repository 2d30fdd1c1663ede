#!/usr/bin/env node
'use strict';
/*
 * The Cortecs Chat Model's integration tests (test/latest/) inside the newest n8n line (or the one given
 * as `-- --version <n8n> --node <node>`): installs that n8n into the cache when missing (tools/n8n/install.js), then runs the tests with its Node binary and its
 * modules (n8n-core, n8n-workflow, @n8n/ai-node-sdk). dist/ must be built: `npm run test:chat-model`
 * builds first.
 */
const path = require('path');
const { spawn } = require('child_process');
const { ensureN8n, PROFILES, profileFromArgs, ROOT } = require('../tools/n8n/install');

async function main() {
	// `-- --version 2.16.0 --node 24.21.0`: another n8n line (the oldest the Chat Model supports).
	const args = process.argv.slice(2);
	const install = await ensureN8n(args.length ? profileFromArgs(args) : PROFILES.latest);
	const modules = path.join(install.dir, 'node_modules');
	process.stderr.write(
		`[test:chat-model] n8n ${install.version}, Node ${path.relative(ROOT, install.nodeBin)}\n`,
	);
	const child = spawn(
		install.nodeBin,
		['--test', '--test-concurrency=1', 'test/latest/*.test.js'],
		{
			cwd: ROOT,
			stdio: 'inherit',
			env: { ...process.env, N8N_MODULES: modules, NODE_PATH: modules },
		},
	);
	const forward = (signal) => child.kill(signal);
	process.once('SIGINT', forward);
	process.once('SIGTERM', forward);
	child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
	process.stderr.write(`[test:chat-model] ${error.message}\n`);
	process.exit(1);
});
