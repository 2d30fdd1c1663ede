'use strict';
/*
 * `npm start` stopped the three ways it is: a process manager or `kill <pid>` signals the npm process only;
 * a terminal's Ctrl-C signals its whole process group (npm and scripts/start.js, which npm also forwards
 * the signal to). Each stops everything npm start started and then says so, and a clean start, with the
 * nodes panel's requests made, logs no warning and no error (n8n's deprecation notices included).
 */
const fs = require('fs');
const path = require('path');
const { N8n, request, sleep } = require('../../tools/n8n/runner');
const { state, N8N, ARTIFACTS, startNpmStart } = require('./helpers');

/** ppid and state of a process from /proc/<pid>/stat, or null when it is gone. */
function statOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const [st, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { state: st, ppid: Number(ppid) };
	} catch {
		return null;
	}
}

/** Every process below `root` (children, their children...). */
function descendantsOf(root) {
	const byParent = new Map();
	for (const p of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(p)) continue;
		const s = statOf(p);
		if (!s) continue;
		if (!byParent.has(s.ppid)) byParent.set(s.ppid, []);
		byParent.get(s.ppid).push(Number(p));
	}
	const found = [];
	const queue = [root];
	while (queue.length)
		for (const c of byParent.get(queue.shift()) || []) (found.push(c), queue.push(c));
	return found;
}

const running = (pid) => {
	const s = statOf(pid);
	return s !== null && s.state !== 'Z';
};

describe(`npm start with n8n ${N8N}: stopping`, () => {
	test.each([
		['SIGINT', 'the npm process', 130],
		['SIGTERM', 'the npm process', 143],
		['SIGINT', "the terminal's process group (Ctrl-C)", 130],
	])(
		'%s to %s stops npm, scripts/start.js, n8n and its task runner, then says so; the log has no warnings or errors',
		async (signal, target, exitCode) => {
			const toGroup = target.includes('group');
			const home = path.join(state.work, `start-${signal}-${toGroup ? 'group' : 'npm'}`);
			const { child: npm, port, output, exitWithin } = await startNpmStart(home, { viaNpm: true });
			let started = [];
			try {
				expect(output()).toContain('Press Ctrl-C to stop.');

				// what the editor asks for when the nodes panel opens, including n8n's community catalogue
				const n8n = new N8n({ install: state.install, userFolder: home });
				n8n.port = port;
				await n8n.login({ email: 'demo@example.com', password: 'Cortecs-demo-1' });
				for (const p of [
					'/rest/community-node-types',
					'/rest/community-packages',
					'/types/nodes.json',
				]) {
					expect((await n8n.rest('GET', p)).status).toBe(200);
				}
				await sleep(2000);

				started = descendantsOf(npm.pid);
				const commands = started.map((pid) =>
					fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '),
				);
				expect(commands.some((c) => c.includes('scripts/start.js'))).toBe(true);
				expect(commands.some((c) => /n8n\/bin\/n8n start/.test(c))).toBe(true);
				expect(commands.some((c) => c.includes('task-runner'))).toBe(true);

				if (toGroup) process.kill(-npm.pid, signal);
				else npm.kill(signal);
				const result = await exitWithin(60 * 1000);
				fs.writeFileSync(
					path.join(ARTIFACTS, `n8n-${N8N}-npm-start-${signal}-${toGroup ? 'group' : 'npm'}.log`),
					output(),
				);
				expect(result).toEqual({ code: exitCode, signal: null });
				expect(started.filter(running)).toEqual([]);
				await expect(
					request('GET', `http://127.0.0.1:${port}/healthz`, { timeoutMs: 2000 }),
				).rejects.toThrow();

				// it says that it stops, then that it has stopped
				const said = output().split('\n');
				const stopping = said.indexOf('[start] stopping n8n and the bundled server…');
				expect(stopping).toBeGreaterThan(-1);
				expect(said.slice(stopping + 1)).toContain(
					'[start] stopped: nothing npm start started is running any more',
				);
				// n8n's task runner has 15 s from its grant token to connecting; on an overloaded machine it can miss
				// that and retry (logged as a 403). No setting changes that window.
				const overload = /Task runner connection attempt failed with status code 403/;
				// n8n 2.41 outside a container (not so here, but on CI's virtual machines) says it expects its Docker
				// image: that one notice, under its header for one notice, is all a setting cannot answer.
				const outsideContainer =
					/^\[n8n\] (There is a deprecation related to your n8n setup\.|\s*- Running n8n outside a container is deprecated\.)/;
				const problems = said.filter(
					(l) =>
						/error|warn|deprecat|ENOTFOUND|EAI_AGAIN|fail/i.test(l) &&
						!overload.test(l) &&
						!outsideContainer.test(l),
				);
				expect(problems).toEqual([]);
			} finally {
				if (npm.exitCode === null) npm.kill('SIGKILL');
				for (const pid of started.filter(running)) {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {
						/* gone */
					}
				}
			}
		},
	);
});
