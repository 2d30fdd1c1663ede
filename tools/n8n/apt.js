'use strict';
/*
 * Commands, and the Debian packages the suites need from the system (Chromium, Postgres, Redis):
 * installed with apt-get as root or through passwordless sudo (e.g. CI runners); otherwise the error
 * gives the user the command to run.
 */
const { spawn } = require('child_process');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a command; resolves with the end of its output, rejects with it when the command fails. */
function sh(cmd, args, { timeoutMs = 10 * 60 * 1000, env, cwd } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: env || process.env,
			cwd,
		});
		let out = '';
		child.stdout.on('data', (d) => (out = (out + d).slice(-6000)));
		child.stderr.on('data', (d) => (out = (out + d).slice(-6000)));
		const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(t);
			if (code === 0) resolve(out);
			else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out}`));
		});
	});
}

/**
 * Installs Debian packages with apt-get, logging to stderr as `[<tag>] …`.
 * @param {string[]} packages
 * @param {{why: string, tag: string, otherwise?: string}} o `why`: what is missing; `otherwise`: what
 *   else the user can do, added to the error when apt-get cannot run (e.g. 'or set CHROMIUM_PATH')
 */
async function aptInstall(packages, { why, tag, otherwise }) {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	let run = (args, timeoutMs) => sh('apt-get', args, { env, timeoutMs });
	if (!isRoot) {
		const sudo = await sh('sudo', ['-n', 'true'], { timeoutMs: 10000 }).then(
			() => true,
			() => false,
		);
		if (!sudo) {
			throw new Error(
				`${why}: install Debian's ${packages.join(', ')} (sudo apt-get install -y ${packages.join(' ')})${otherwise ? ` ${otherwise}` : ''}`,
			);
		}
		run = (args, timeoutMs) =>
			sh('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], {
				timeoutMs,
			});
	}
	const started = Date.now();
	process.stderr.write(
		`[${tag}] ${why}: installing Debian's ${packages.join(', ')} with apt-get…\n`,
	);
	await run(['update', '-qq'], 5 * 60 * 1000);
	await run(['install', '-y', '-qq', ...packages], 10 * 60 * 1000);
	process.stderr.write(
		`[${tag}] installed ${packages.join(', ')} in ${Math.round((Date.now() - started) / 1000)}s\n`,
	);
}

module.exports = { isRoot, sh, aptInstall };
