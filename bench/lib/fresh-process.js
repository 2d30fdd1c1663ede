'use strict';

/**
 * A measurement that needs a fresh process (its own peak memory, no JIT or module state from earlier runs):
 * a script in bench/ run as a child that prints its result as one JSON line.
 */
const path = require('node:path');
const { fork } = require('node:child_process');

/** Runs bench/<script> in a fresh process; resolves with the JSON of its last line of output. */
function child(script, scriptArgs, execArgv = []) {
	return new Promise((resolve, reject) => {
		const proc = fork(path.join(__dirname, '..', script), scriptArgs, {
			stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
			execArgv,
		});
		let out = '';
		proc.stdout.on('data', (chunk) => (out += chunk));
		proc.once('error', reject);
		proc.once('exit', (code) =>
			code === 0
				? resolve(JSON.parse(out.trim().split('\n').pop()))
				: reject(new Error(`${script} exited ${code}`)),
		);
	});
}

module.exports = { child };
