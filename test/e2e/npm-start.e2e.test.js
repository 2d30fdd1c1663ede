'use strict';
/* `npm start` (scripts/start.js): one command brings up n8n with the package, and Ctrl-C stops everything. */
const fs = require('fs');
const path = require('path');
const { N8n } = require('../../tools/n8n/runner');
const { CREDENTIALS } = require('../../tools/n8n/setup');
const { filesFolder } = require('../../tools/n8n/files');
const {
	state,
	N8N,
	HAS_SDK,
	ARTIFACTS,
	EXAMPLES_DIR,
	example,
	startNpmStart,
} = require('./helpers');

const allPids = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));

function pgidOf(pid) {
	try {
		// /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ')'
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
	} catch {
		return null;
	}
}

/** Processes whose environment names this n8n user folder (the n8n processes started for it). */
function processesOf(home) {
	const found = [];
	for (const pid of allPids()) {
		try {
			const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (env.includes(`N8N_USER_FOLDER=${home}`)) found.push(pid);
		} catch {
			/* gone */
		}
	}
	return found;
}

describe(`npm start (scripts/start.js) with n8n ${N8N}`, () => {
	test(
		'one command: n8n with the package, the credentials and the examples; Ctrl-C stops everything',
		async () => {
			const { request } = require('../../tools/n8n/runner');
			const home = path.join(state.work, 'start-home');
			const { child, port, output, exitWithin } = await startNpmStart(home);
			try {
				const out = output();
				expect(out).toContain('Press Ctrl-C to stop.');
				fs.writeFileSync(path.join(ARTIFACTS, `n8n-${N8N}-npm-start.log`), out);
				const url = `http://127.0.0.1:${port}`;
				expect(out).toContain(`    ${url}\n`);
				expect(out).toContain('Sign in:      demo@example.com / Cortecs-demo-1');
				// where the examples read and write files
				expect(out).toContain(`  Files:        ${filesFolder(home)} `);
				expect(out.split('  Files:').length).toBe(2);
				expect(fs.statSync(filesFolder(home)).isDirectory()).toBe(true);
				// where the Chat Model cannot run, the banner says how to start an n8n that can
				expect(out.includes('need n8n 2.16.0 or newer: npm start -- --latest')).toBe(!HAS_SDK);
				// the caveat stands under the examples it is about, before the Files line
				if (!HAS_SDK)
					expect(out).toMatch(/vector store[^\n]*\n +\(the two on the Cortecs Chat Model/i);
				const mockUrl = /test server at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out)[1];

				// the printed sign-in works, the examples and the credentials are there
				const n = new N8n({ install: state.install, userFolder: home });
				n.port = port;
				await n.login({ email: 'demo@example.com', password: 'Cortecs-demo-1' });
				const workflows = await n.restOk('GET', '/rest/workflows');
				const names = (workflows.data || workflows).map((w) => w.name).sort();
				const exampleNames = fs
					.readdirSync(EXAMPLES_DIR)
					.filter((f) => f.endsWith('.json'))
					.map((f) => example(f).name)
					.sort();
				expect(names).toEqual(exampleNames);
				const creds = await n.restOk('GET', '/rest/credentials');
				expect((creds.data || creds).map((c) => [c.id, c.type]).sort()).toEqual(
					[
						[CREDENTIALS.openAi.id, 'openAiApi'],
						[CREDENTIALS.cortecs.id, 'cortecsApi'],
					].sort(),
				);
				// the credential points at the bundled server, which answers
				const saved = await n.restOk(
					'GET',
					`/rest/credentials/${CREDENTIALS.cortecs.id}?includeData=true`,
				);
				expect(saved.data.baseUrl).toBe(mockUrl);
				const test = await n.restOk('POST', '/rest/credentials/test', {
					credentials: { id: saved.id, name: saved.name, type: saved.type, data: saved.data },
				});
				expect(test.status).toBe('OK');

				// n8n runs in its own process group, with its task runner(s)
				const groups = new Set(processesOf(home).map(pgidOf));
				expect(groups.size).toBeGreaterThan(0);

				// Ctrl-C
				child.kill('SIGINT');
				const { code } = await exitWithin(60 * 1000);
				expect(code).toBe(130);
				await expect(request('GET', `${url}/healthz`, { timeoutMs: 2000 })).rejects.toThrow();
				await expect(request('GET', `${mockUrl}/models`, { timeoutMs: 2000 })).rejects.toThrow();
				// no process started for this n8n folder is left (n8n and its task runners)
				expect(processesOf(home)).toEqual([]);
				expect(allPids().filter((pid) => groups.has(pgidOf(pid)))).toEqual([]);
			} finally {
				if (child.exitCode === null) child.kill('SIGKILL');
				for (const pid of processesOf(home)) {
					try {
						process.kill(-Number(pid), 'SIGKILL');
					} catch {
						/* not a group leader or gone */
					}
					try {
						process.kill(Number(pid), 'SIGKILL');
					} catch {
						/* gone */
					}
				}
			}
		},
		5 * 60 * 1000,
	);
});
