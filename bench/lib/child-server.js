'use strict';

/**
 * The Cortecs-compatible test server (tools/cortecs-server/index.js) in a child process, controlled over IPC,
 * so the server's CPU does not share the event loop with n8n's RoutingNode or the raw HTTP client.
 */
const { fork } = require('node:child_process');
const path = require('node:path');

const SERVER = path.join(__dirname, '..', '..', 'tools', 'cortecs-server', 'index.js');

/**
 * @param {{latencyMs?: number, capacity?: number|null, retryAfter?: string|null}} [settings]
 * @returns {Promise<{url: string, configure(s: object): Promise<object>, reset(): Promise<object>, stats(): Promise<object>, close(): Promise<void>}>}
 */
function startChildServer(settings = {}) {
	const child = fork(SERVER, ['--ipc', '--port', '0', '--quiet'], {
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	let seq = 0;
	const pending = new Map();
	const call = (cmd, rest = {}) =>
		new Promise((resolve, reject) => {
			const id = ++seq;
			pending.set(id, { resolve, reject });
			child.send({ cmd, id, ...rest });
		});
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => {
			for (const { reject: fail } of pending.values())
				fail(new Error(`test server exited (${code})`));
			pending.clear();
		});
		child.on('message', async (msg) => {
			if (msg && msg.ready) {
				const server = {
					url: msg.url,
					// Every command answers with the stats, so awaiting it also means "applied".
					configure: (s) => call('configure', s),
					reset: () => call('reset'),
					stats: () => call('stats'),
					close: () =>
						new Promise((done) => {
							if (child.exitCode !== null) return done();
							child.once('exit', () => done());
							child.send({ cmd: 'close' });
						}),
				};
				try {
					await server.configure({ latencyMs: 0, capacity: null, retryAfter: '1', ...settings });
					resolve(server);
				} catch (error) {
					reject(error);
				}
			} else if (msg && msg.id !== undefined && pending.has(msg.id)) {
				pending.get(msg.id).resolve(msg.stats);
				pending.delete(msg.id);
			}
		});
	});
}

module.exports = { startChildServer };
