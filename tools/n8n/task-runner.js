'use strict';
/*
 * n8n's JavaScript task runner (it runs the Code node) as a process of its own: n8n's `external` task
 * runner mode, which n8n 2.41 asks for (it calls the `internal` mode, where n8n starts the runner itself,
 * deprecated) and n8n 2.8.4 supports the same way. This does what n8n's task runner launcher does: it
 * trades the auth token shared with n8n for a grant token at n8n's task broker (POST <broker>/runners/auth),
 * starts @n8n/task-runner from n8n's install with it, and starts it again when it exits, until stopped.
 */
const path = require('path');
const crypto = require('crypto');
const { spawnTracked, stopChild } = require('./processes');

/** n8n's environment for it: external task runners, sharing `authToken`, the broker on loopback. */
function externalRunnerEnv(authToken) {
	return {
		N8N_RUNNERS_MODE: 'external',
		N8N_RUNNERS_AUTH_TOKEN: authToken,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	};
}

const newAuthToken = () => crypto.randomBytes(24).toString('hex');

/**
 * A grant token from the broker on `brokerPort`, once it listens (polled every 200 ms), or null when
 * `stopped()` turns true first.
 */
async function grantToken(brokerPort, authToken, stopped) {
	const { request, sleep } = require('./runner');
	while (!stopped()) {
		try {
			const r = await request('POST', `http://127.0.0.1:${brokerPort}/runners/auth`, {
				body: { token: authToken },
				timeoutMs: 5000,
			});
			if (r.status === 200 && r.json && r.json.data) return r.json.data.token;
		} catch {
			/* the broker is not listening yet */
		}
		await sleep(200);
	}
	return null;
}

/**
 * Keeps one JavaScript task runner connected to the broker of an n8n process.
 * @param {object} o
 * @param {{n8nBin: string, nodeBin: string, env: object}} o.install from tools/n8n/install.js
 * @param {number} o.brokerPort the n8n process's N8N_RUNNERS_BROKER_PORT
 * @param {string} o.authToken its N8N_RUNNERS_AUTH_TOKEN
 * @param {object} o.env the n8n process's environment (PATH, HOME, the task timeout)
 * @param {(line: string) => void} [o.onLog]
 * @returns {{ stop: () => Promise<void> }} stop: kills the runner (call it after n8n has stopped)
 */
function keepTaskRunner({ install, brokerPort, authToken, env, onLog }) {
	// where n8n itself finds it (n8n's own runner process: require.resolve('@n8n/task-runner/start'))
	const start = require.resolve('@n8n/task-runner/start', {
		paths: [path.join(install.n8nBin, '..', '..')],
	});
	let stopped = false;
	let child = null;
	const loop = (async () => {
		while (!stopped) {
			const token = await grantToken(brokerPort, authToken, () => stopped);
			if (token === null) return;
			// the flags and variables n8n's own (internal) runner process gets
			child = spawnTracked(
				install.nodeBin,
				['--disallow-code-generation-from-strings', '--disable-proto=delete', start],
				{
					env: {
						PATH: env.PATH,
						HOME: env.HOME,
						N8N_RUNNERS_GRANT_TOKEN: token,
						N8N_RUNNERS_TASK_BROKER_URI: `http://127.0.0.1:${brokerPort}`,
						N8N_RUNNERS_TASK_TIMEOUT: env.N8N_RUNNERS_TASK_TIMEOUT,
					},
					// its progress lines stay out; what goes wrong (stderr) is passed on
					stdio: ['ignore', 'ignore', 'pipe'],
				},
			);
			child.stderr.on('data', (d) => {
				for (const line of d.toString().split('\n')) if (line.trim() && onLog) onLog(line);
			});
			await new Promise((resolve) => child.once('exit', resolve));
		}
	})();
	return {
		/** Call once the n8n process is gone: with its broker closed the runner has nothing left to finish. */
		async stop() {
			stopped = true;
			if (child) await stopChild(child, 0);
			await loop;
		},
	};
}

module.exports = { externalRunnerEnv, newAuthToken, keepTaskRunner };
