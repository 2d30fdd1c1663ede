'use strict';

/**
 * Queue-mode benchmark (npm run bench -- --queue, or npm run bench:queue): the workload of
 * `npm run test:queue` (6 webhook executions × 200 prompts posted at once, default node settings, test
 * server L = 50 ms, C = 8) on n8n's queue mode with two workers and with one. Not a test: it prints numbers
 * (and checks that every prompt came back answered, so no row counts a failed run).
 *
 *   node bench/queue.js [--out report.md] [--runs 3]
 */
const fs = require('node:fs');
const os = require('node:os');

const { startChildServer } = require('./lib/child-server');
const { median, loadAverage, cpuAndMemory, numberOption } = require('./lib/machine');
const { ensureN8n, PROFILES } = require('../tools/n8n/install');
const { packPackage, stopAll, exitOnSignals, tmpDir } = require('../tools/n8n/runner');
const { QueueCluster, promptBatches, postAll } = require('../tools/n8n/queue');
const { VALID_KEY } = require('../tools/cortecs-server');

const args = process.argv.slice(2);
const OUT = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const RUNS = numberOption(args, '--runs', 3);

const LATENCY_MS = 50;
const CAPACITY = 8;
const EXECUTIONS = 6;
const ITEMS = 200;
const CONCURRENCY = 5;
const IDEAL_S = (Math.ceil((EXECUTIONS * ITEMS) / CAPACITY) * LATENCY_MS) / 1000;

const log = (line) => process.stderr.write(`[bench:queue] ${line}\n`);

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return NaN;
	}
}

async function measure(cluster, server, tag) {
	await server.reset();
	const pids = [cluster.main.server.pid, ...cluster.workers.map((w) => w.pid)];
	const cpuBefore = pids.map(cpuSeconds);
	const before = await cluster.executions();
	const afterId = before.length ? Number(before[before.length - 1].id) : 0;
	const startedBefore = cluster.workers.map((w) => cluster.startedBy(w).length);
	const batches = promptBatches(tag, EXECUTIONS, ITEMS);
	const { answers, wallMs } = await postAll(cluster, batches);
	const stats = await server.stats();
	const cpu = pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]);
	const complete = (a, e) =>
		a.status === 200 &&
		JSON.stringify(a.json.map((i) => i.content)) ===
			JSON.stringify(batches[e].map((p) => `Echo: ${p}`));
	// a failed execution is a result too: say how it failed (n8n's record of it)
	const failed = answers.filter((a, e) => !complete(a, e)).length;
	let errors = [];
	if (failed) {
		const records = await cluster.settledExecutions({
			afterId,
			count: EXECUTIONS,
			timeoutMs: 30000,
		});
		errors = records
			.filter((r) => r.status !== 'success')
			.map(
				(r) =>
					`${r.status}: ${r.data && r.data.resultData.error ? r.data.resultData.error.message : '?'}`,
			);
		log(`${tag}: ${failed} of ${EXECUTIONS} executions failed: ${errors.join(' | ')}`);
	} else if (stats.total !== EXECUTIONS * ITEMS + stats.count429) {
		throw new Error(
			`${tag}: ${stats.total} requests for ${EXECUTIONS * ITEMS} prompts and ${stats.count429} 429s`,
		);
	}
	const perWorker = cluster.workers.map((w, i) => cluster.startedBy(w).length - startedBefore[i]);
	return {
		wallS: wallMs / 1000,
		itemsPerS: (EXECUTIONS * ITEMS) / (wallMs / 1000),
		count429: stats.count429,
		maxInFlight: stats.maxInFlight,
		// every answered request held a server slot for L ms: the slots' average use over the run
		meanInFlight: (EXECUTIONS * ITEMS * LATENCY_MS) / wallMs,
		load1: os.loadavg()[0],
		cpuMain: cpu[0],
		cpuWorkers: cpu.slice(1).reduce((a, b) => a + b, 0),
		perWorker,
		failed,
		errors,
	};
}

async function main() {
	const install = await ensureN8n(PROFILES.pinned);
	const work = tmpDir('cortecs-bench-queue-');
	const { tarball } = packPackage(work);
	const server = await startChildServer({
		latencyMs: LATENCY_MS,
		capacity: CAPACITY,
		retryAfter: '1',
	});
	const cluster = new QueueCluster({
		install,
		tarball,
		baseUrl: server.url,
		apiKey: VALID_KEY,
		workers: 2,
		concurrency: CONCURRENCY,
		log,
	});
	exitOnSignals(async () => {
		await cluster.stop();
		await server.close();
	});
	const loadBefore = loadAverage();
	const rows = { two: [], one: [], oneWide: [] };
	try {
		await cluster.start();
		const [w1, w2] = cluster.workers;
		// warm-up: the first execution of a process loads the node and its credential
		await measure(cluster, server, 'warm-up');
		for (let run = 1; run <= RUNS; run++) {
			rows.two.push(await measure(cluster, server, `two r${run}`));
			log(`2 workers, run ${run}: ${JSON.stringify(rows.two[rows.two.length - 1])}`);
		}
		await cluster.stopWorker(w2);
		for (let run = 1; run <= RUNS; run++) {
			rows.one.push(await measure(cluster, server, `one r${run}`));
			log(`1 worker, run ${run}: ${JSON.stringify(rows.one[rows.one.length - 1])}`);
		}
		await cluster.stopWorker(w1);
		await cluster.startWorker('worker-1-wide', w1.userFolder, {}, { concurrency: 2 * CONCURRENCY });
		await measure(cluster, server, 'warm-up wide');
		for (let run = 1; run <= RUNS; run++) {
			rows.oneWide.push(await measure(cluster, server, `wide r${run}`));
			log(
				`1 worker --concurrency=${2 * CONCURRENCY}, run ${run}: ${JSON.stringify(rows.oneWide[rows.oneWide.length - 1])}`,
			);
		}
	} finally {
		await cluster.stop();
		await server.close();
		await stopAll();
		fs.rmSync(work, { recursive: true, force: true });
	}

	const lines = [];
	const out = (line = '') => lines.push(line);
	out(
		`Machine: ${cpuAndMemory()}; Node ${process.version}; n8n ${install.version}, Postgres ${cluster.postgres.version}.`,
	);
	out(
		`Load average before / after: ${loadBefore} / ${loadAverage()}. Median of ${RUNS} runs (all in brackets), after a warm-up run.`,
	);
	out();
	out(
		`Workload: ${EXECUTIONS} webhook executions × ${ITEMS} prompts posted at once (${EXECUTIONS * ITEMS} prompts), default node settings (Max Concurrent Requests 5, Max Retries 2); server L = ${LATENCY_MS} ms, C = ${CAPACITY}; ideal = ceil(${EXECUTIONS * ITEMS}/${CAPACITY}) × ${LATENCY_MS} ms = ${IDEAL_S} s.`,
	);
	out();
	out(
		'| Workers | Executions at once | Failed executions | Wall (s) | Items/s | 429s | Max in flight (server) | Mean in flight | CPU s: main / workers | Load (1 min) | Executions per worker |',
	);
	out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
	const fmt = (values, digits) =>
		`${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})`;
	const row = (label, atOnce, list) => {
		out(
			`| ${label} | ${atOnce} | ${list.map((r) => r.failed).join(', ')} | ${fmt(
				list.map((r) => r.wallS),
				1,
			)} | ${fmt(
				list.map((r) => r.itemsPerS),
				0,
			)} | ${fmt(
				list.map((r) => r.count429),
				0,
			)} | ${Math.max(...list.map((r) => r.maxInFlight))} | ${median(list.map((r) => r.meanInFlight)).toFixed(1)} | ${median(list.map((r) => r.cpuMain)).toFixed(1)} / ${median(list.map((r) => r.cpuWorkers)).toFixed(1)} | ${list.map((r) => r.load1.toFixed(1)).join(', ')} | ${[...new Set(list.map((r) => r.perWorker.join(' + ')))].join(', ')} |`,
		);
	};
	row(`2 × \`--concurrency=${CONCURRENCY}\``, EXECUTIONS, rows.two);
	row(`1 × \`--concurrency=${CONCURRENCY}\``, CONCURRENCY, rows.one);
	row(`1 × \`--concurrency=${2 * CONCURRENCY}\``, EXECUTIONS, rows.oneWide);
	const errors = [...rows.two, ...rows.one, ...rows.oneWide].flatMap((r) => r.errors);
	if (errors.length) out(`\nFailed executions: ${[...new Set(errors)].join(' | ')}`);
	const report = lines.join('\n');
	process.stdout.write(`${report}\n`);
	if (OUT) fs.writeFileSync(OUT, `${report}\n`);
}

main().then(
	() => process.exit(0),
	async (error) => {
		process.stderr.write(`${error.stack || error}\n`);
		await stopAll();
		process.exit(1);
	},
);
