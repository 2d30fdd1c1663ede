'use strict';

/**
 * The command line: `node tools/cortecs-server/index.js [--port 8787] [--latency 300] [--latency-sigma 0.8]
 * [--capacity 8] [--retry-after 1|none] [--no-cost] [--style echo|demo] [--quiet] [--ipc]`.
 *
 * With `--ipc` (under `child_process.fork`) the parent controls the server with messages
 * `{cmd: 'configure', id, ...settings}`, `{cmd: 'reset', id}`, `{cmd: 'stats', id}` and `{cmd: 'close'}`;
 * each of the first three answers `{id, stats}`, and `{ready: true, url}` is sent once listening.
 */

const { parseArgs } = require('node:util');
const { startCortecsServer } = require('./server');

const OPTIONS = /** @type {const} */ ({
	port: { type: 'string', default: '8787' },
	latency: { type: 'string', default: '0' },
	'latency-sigma': { type: 'string', default: '0' },
	capacity: { type: 'string' },
	'retry-after': { type: 'string', default: '1' },
	'no-cost': { type: 'boolean', default: false },
	style: { type: 'string', default: 'echo' },
	quiet: { type: 'boolean', default: false },
	ipc: { type: 'boolean', default: false },
});

/**
 * @param {import('./index').CortecsServer} server
 * @param {() => void} stop
 */
function serveIpc(server, stop) {
	if (typeof process.send !== 'function') return;
	const send = /** @type {(msg: unknown) => void} */ (process.send.bind(process));
	process.on('message', (/** @type {any} */ msg) => {
		if (!msg || typeof msg !== 'object') return;
		const { cmd, id, ...rest } = msg;
		if (cmd === 'configure') server.configure(rest);
		else if (cmd === 'reset') server.reset();
		else if (cmd === 'close') return stop();
		else if (cmd !== 'stats') return;
		send(id === undefined ? { stats: server.stats } : { id, stats: server.stats });
	});
	// A benchmark that dies must not leave an orphan server behind.
	process.once('disconnect', stop);
	send({ ready: true, url: server.url });
}

/** @param {string[]} argv */
async function main(argv) {
	const { values: args } = parseArgs({ args: argv, options: OPTIONS });
	const retry = args['retry-after'];
	const server = await startCortecsServer({
		port: Number(args.port),
		latencyMs: Number(args.latency),
		latencySigma: Number(args['latency-sigma']),
		capacity: args.capacity !== undefined ? Number(args.capacity) : Infinity,
		retryAfter: retry === 'none' ? null : retry,
		includeCost: !args['no-cost'],
		style: args.style === 'demo' ? 'demo' : 'echo',
		quiet: args.quiet,
		// Nobody can read the log of a CLI server, and it would grow without bound.
		logRequests: false,
	});
	console.log(`Cortecs-compatible server listening on ${server.url}`);

	const stop = () => {
		server.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	if (args.ipc) serveIpc(server, stop);
}

module.exports = { main };
