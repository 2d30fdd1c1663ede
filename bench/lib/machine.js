'use strict';

/**
 * What a benchmark report says about where it ran (the machine, the versions, the load), and how a
 * measurement that needs a fresh process runs: a child script that prints one JSON line.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');

const BENCH = path.join(__dirname, '..');

/** The CPU, memory, Node and package versions of this run. */
function machine() {
	const cpu =
		(fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m) || [])[1] ||
		os.cpus()[0]?.model;
	const pkg = (name) =>
		require(require.resolve(`${name}/package.json`, { paths: [path.join(BENCH, '..')] })).version;
	return {
		cpu: `${cpu} × ${os.cpus().length}`,
		memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
		node: process.version,
		n8nCore: pkg('n8n-core'),
		n8nWorkflow: pkg('n8n-workflow'),
		axios: pkg('axios'),
		os: `${os.type()} ${os.release()}`,
	};
}

/** The load averages (1, 5, 15 minutes). */
const load = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');

/** Runs bench/<script> in a fresh process; resolves with the JSON of its last line of output. */
function child(script, scriptArgs, execArgv = []) {
	return new Promise((resolve, reject) => {
		const proc = fork(path.join(BENCH, script), scriptArgs, {
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

module.exports = { machine, load, child };
