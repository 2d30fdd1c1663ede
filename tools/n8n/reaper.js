'use strict';
/*
 * Stops what a run left behind when the process that started it dies without cleaning up: Ctrl-C inside
 * jest (whose test sandbox never sees the signal), a SIGKILL, a crash. Started detached; every half second
 * it checks that the owner is alive. Once it is not, it SIGKILLs every process (and its process group) that
 * runs in, or names on its command line, one of the listed folders (n8n runs in its user folder, Postgres
 * and Redis name their data folders), then removes the folders. Deleting the list file ends it.
 *
 *   node tools/n8n/reaper.js <owner pid> <list file>   # one folder per line
 */
const fs = require('fs');

const ownerPid = Number(process.argv[2]);
const listFile = process.argv[3];

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function kill(pid) {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		/* gone */
	}
}

function reap() {
	let dirs = [];
	try {
		dirs = fs
			.readFileSync(listFile, 'utf8')
			.split('\n')
			.filter((d) => d.startsWith('/') && d.length > 5);
	} catch {
		return;
	}
	const inside = (p) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
	for (const entry of fs.readdirSync('/proc')) {
		const pid = Number(entry);
		if (!pid || pid === process.pid) continue;
		try {
			const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
			const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			if (!inside(cwd) && !args.some(inside)) continue;
			const pgid = Number(
				fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2],
			);
			// a group it leads is one we started detached (n8n with its task runner, runuser with Postgres)
			if (pgid === pid) kill(-pgid);
			kill(pid);
		} catch {
			/* gone, or not ours to read */
		}
	}
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
	fs.rmSync(listFile, { force: true });
}

const timer = setInterval(() => {
	if (!fs.existsSync(listFile)) clearInterval(timer);
	else if (!alive(ownerPid)) {
		clearInterval(timer);
		// give processes a moment to be re-parented and the folders to stop changing
		setTimeout(reap, 500);
	}
}, 500);
