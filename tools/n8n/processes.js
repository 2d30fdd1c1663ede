'use strict';
/*
 * The processes the scripts start (n8n, its CLI calls, npm installs), each in its own process group so that
 * stopping one also stops what it started (n8n's task runners, npm's compilers). Every one is tracked and
 * stopped by stopAll(), also when this Node process exits or is told to stop.
 */
const { spawn } = require('child_process');

const children = new Set();

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}

process.on('exit', () => {
	for (const c of children) killGroup(c, 'SIGKILL');
});

/** Spawns `cmd` as the leader of a new process group and tracks it until it exits. */
function spawnTracked(cmd, args, opts) {
	const child = spawn(cmd, args, { ...opts, detached: true });
	children.add(child);
	return child;
}

/** Stops a child started by spawnTracked: SIGTERM to its process group, SIGKILL after `graceMs`. */
function stopChild(child, graceMs = 10000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) {
		if (child) killGroup(child, 'SIGKILL'); // leftovers of a group whose leader has gone
		children.delete(child);
		return Promise.resolve();
	}
	return new Promise((resolve) => {
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(t);
			// leftovers in the group (task runners, compilers) go too
			killGroup(child, 'SIGKILL');
			children.delete(child);
			resolve();
		});
		killGroup(child, 'SIGTERM');
	});
}

async function stopAll() {
	await Promise.all([...children].map((c) => stopChild(c)));
}

const EXIT_CODES = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };
let stopHandler = null;

// A terminal's Ctrl-C reaches this process twice under `npm start`: from the terminal and forwarded by npm.
const SAME_SIGNAL_MS = 1000;

/**
 * On SIGINT (Ctrl-C), SIGTERM or SIGHUP: runs `cleanup`, stops every tracked process and exits with
 * 128 + the signal's number. Another signal later than a second into stopping kills everything at once.
 */
function exitOnSignals(cleanup) {
	if (stopHandler) return;
	let stoppingSince = null;
	stopHandler = (signal) => {
		const code = EXIT_CODES[signal] || 1;
		if (stoppingSince !== null) {
			if (Date.now() - stoppingSince < SAME_SIGNAL_MS) return;
			for (const c of children) killGroup(c, 'SIGKILL');
			process.exit(code);
		}
		stoppingSince = Date.now();
		Promise.resolve()
			.then(() => cleanup && cleanup(signal))
			.catch(() => {})
			.then(() => stopAll())
			.finally(() => process.exit(code));
	};
	for (const sig of Object.keys(EXIT_CODES)) process.on(sig, stopHandler);
}

/**
 * Stops like on SIGHUP when the process that started this one is gone (for example npm killed with
 * SIGKILL, which cannot pass the signal on), so nothing is left running without an owner.
 */
function exitWithParent(intervalMs = 1000) {
	const parent = process.ppid;
	const timer = setInterval(() => {
		if (process.ppid === parent) return;
		clearInterval(timer);
		if (stopHandler) stopHandler('SIGHUP');
		else process.exit(EXIT_CODES.SIGHUP);
	}, intervalMs);
	timer.unref();
}

module.exports = { spawnTracked, stopChild, stopAll, killGroup, exitOnSignals, exitWithParent };
