'use strict';

/**
 * Throughput benchmark of the Cortecs node (npm run bench = build + this). Not a test: it prints numbers.
 *
 * Everything runs in this process except the test server (a child process, so its CPU does not share
 * the event loop with RoutingNode) and two measurements that need a fresh process (memory, expression
 * counts). See bench/RESULTS.md for the numbers, the machine and what they mean.
 *
 *   node bench/run.js [--out report.md] [--quick] [--only realistic]
 *   node bench/run.js --queue [--out report.md] [--runs 3]   (bench/queue.js: n8n's queue mode)
 *
 * --quick: fewer repetitions (a smoke run, about a minute); --out: also write the report to a file;
 * --only realistic: scenario 6 alone (answer times as LLM APIs have them).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { latencies } = require('../tools/cortecs-server/latency');
const { startChildServer } = require('./lib/child-server');
const { child } = require('./lib/fresh-process');
const {
	makeItems,
	bodyFor,
	cortecsNodeType,
	cortecsParameters,
	probeNodeType,
	probeParameters,
	runWorkflowNode,
	runAxios,
} = require('./lib/runners');

// --queue: the queue-mode benchmark (n8n main + workers on Postgres and Redis), a script of its own
// that reads its own flags
const QUEUE = process.argv.includes('--queue');
const { values: args } = QUEUE
	? { values: {} }
	: parseArgs({
			options: {
				quick: { type: 'boolean', default: false },
				out: { type: 'string' },
				only: { type: 'string' },
			},
		});
const OUT = args.out;
const REPEAT = args.quick ? 1 : 5;

const N = 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const seconds = (ms) => fmt(ms / 1000, 2);
const idealMs = (items, capacity, latency) => Math.ceil(items / capacity) * latency;
const log = (line) => process.stderr.write(`${line}\n`);

function machine() {
	const cpu =
		(fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m) || [])[1] ||
		os.cpus()[0]?.model;
	const pkg = (name) =>
		require(require.resolve(`${name}/package.json`, { paths: [path.join(__dirname, '..')] }))
			.version;
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

const load = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');

/** The node must send exactly the bodies the axios baseline sends: checked on a logging server. */
async function checkSameBodies() {
	const { startCortecsServer } = require('../tools/cortecs-server');
	const server = await startCortecsServer({});
	try {
		const items = makeItems(3);
		const result = await runWorkflowNode({
			baseUrl: server.url,
			type: cortecsNodeType(),
			parameters: cortecsParameters(),
			items,
		});
		const sent = server.chatRequests().map((r) => r.body);
		const expected = items.map(bodyFor);
		if (result.ok !== 3 || JSON.stringify(sent) !== JSON.stringify(expected)) {
			throw new Error(
				`the node sent ${JSON.stringify(sent)}, the baseline would send ${JSON.stringify(expected)}`,
			);
		}
	} finally {
		await server.close();
	}
}

/**
 * A benchmark session: the test server in its child process, the node type, the items, and the rows of
 * the table of scenarios 1-3.
 */
function session(server) {
	const items = makeItems(N);
	const cortecs = cortecsNodeType();
	const rows = [];
	const setServer = async (settings) => {
		await server.configure({ latencyMs: 0, capacity: null, retryAfter: '1', ...settings });
		await server.reset();
	};

	/** One node run against the server as configured; adds the server's view (429s, max in flight). */
	async function nodeRun(
		parameters,
		{ continueOnFail = true, type = cortecs, items: runItems = items } = {},
	) {
		await server.reset();
		const result = await runWorkflowNode({
			baseUrl: server.url,
			type,
			parameters,
			items: runItems,
			continueOnFail,
		});
		const stats = await server.stats();
		return {
			...result,
			sent: stats.total,
			count429: stats.count429,
			maxInFlight: stats.maxInFlight,
		};
	}

	/** One axios run against the server as configured, with the server's view. */
	async function axiosRun(options) {
		await server.reset();
		const result = await runAxios({ baseUrl: server.url, items, ...options });
		const stats = await server.stats();
		return { ...result, ...stats, sent: stats.total };
	}

	function row(id, scenario, settings, runs, { capacity, latency, note = '' }) {
		const wallMs = median(runs.map((r) => r.wallMs));
		const r = runs.find((x) => x.wallMs === wallMs);
		const ideal = idealMs(N, capacity, latency);
		const ratio = wallMs / ideal;
		const spread =
			runs.length > 1
				? ` (${runs
						.map((x) => fmt(x.wallMs / ideal))
						.sort()
						.join(', ')})`
				: '';
		rows.push({
			id,
			scenario,
			settings,
			ok: r.ok,
			lost: r.failed,
			count429: r.count429,
			sent: r.sent,
			maxInFlight: r.maxInFlight,
			wall: seconds(wallMs),
			ideal: seconds(ideal),
			ratio: `${fmt(ratio)}${spread}`,
			note,
		});
		log(
			`  ${id} ${scenario}: wall ${seconds(wallMs)} s, ratio ${fmt(ratio)}, ok ${r.ok}, 429s ${r.count429}`,
		);
	}

	return { server, items, cortecs, rows, setServer, nodeRun, axiosRun, row };
}

// 1-3: L = 50 ms, C = 8 (above C: 429 with Retry-After: 1).
const L = 50;
const C = 8;
// 4: node overhead against axios at L = 20 ms, concurrency 8 (C above it: no 429s).
const L4 = 20;

async function capacityScenarios({ server, items, cortecs, setServer, nodeRun, axiosRun, row }) {
	await setServer({ latencyMs: L, capacity: C });
	const atC = () => cortecsParameters({ throughput: { maxConcurrency: C } });
	log('1. node, concurrency 8 = C');
	// Warm-up (JIT, sockets): a whole run first; the first run of a process is the slowest.
	await runWorkflowNode({ baseUrl: server.url, type: cortecs, parameters: atC(), items });
	const s1 = [];
	for (let i = 0; i < REPEAT; i++) s1.push(await nodeRun(atC()));
	row('1', 'Node, Max Concurrent Requests 8', 'limiter 8, retries 2', s1, {
		capacity: C,
		latency: L,
	});
	log('1b. node + n8n Batching 50 items / 1 ms');
	const batched = cortecsParameters({
		throughput: { maxConcurrency: C },
		batching: { batchSize: 50, batchInterval: 1 },
	});
	row(
		'1b',
		'Node + n8n Batching 50 items / 1 ms',
		'limiter 8, retries 2',
		[await nodeRun(batched)],
		{
			capacity: C,
			latency: L,
			note: 'n8n starts sending while it prepares the rest',
		},
	);
	log('1r. references: the smallest declarative node, and axios');
	row(
		'1r',
		'Reference: probe (smallest declarative node), plain semaphore 8',
		'–',
		[await nodeRun(probeParameters(), { type: probeNodeType(server.url, C) })],
		{ capacity: C, latency: L },
	);
	row('1a', 'Reference: axios alone, 8 workers', '–', [await axiosRun({ concurrency: C })], {
		capacity: C,
		latency: L,
	});
	row(
		'1k',
		'Reference: axios alone, 8 workers, keep-alive',
		'–',
		[await axiosRun({ concurrency: C, keepAlive: true })],
		{
			capacity: C,
			latency: L,
			note: "the least any client gets from this server on this machine: its timers' lateness and the loopback",
		},
	);

	log('2. node, default settings');
	row('2', 'Node, default settings', 'limiter 5, retries 2', [await nodeRun(cortecsParameters())], {
		capacity: C,
		latency: L,
	});

	log('2b. node, concurrency 16 > C');
	row(
		'2b',
		'Node, Max Concurrent Requests 16 (above C)',
		'limiter 16, retries 2',
		[await nodeRun(cortecsParameters({ throughput: { maxConcurrency: 16 } }))],
		{
			capacity: C,
			latency: L,
			note: 'the window shrinks on 429s',
		},
	);

	log("3. n8n's built-in behaviour");
	const off = { maxConcurrency: 0, maxRetries: 0 };
	const s3a = await nodeRun(cortecsParameters({ throughput: off }));
	const s3aStrict = await nodeRun(cortecsParameters({ throughput: off }), {
		continueOnFail: false,
	});
	row('3a', 'n8n built-in: limiter off, Batching off', 'limiter 0, retries 0', [s3a], {
		capacity: C,
		latency: L,
		note: `without Continue On Fail the node fails: ${s3aStrict.ok} of ${N} items out`,
	});
	const s3b = await nodeRun(
		cortecsParameters({ throughput: off, batching: { batchSize: 8, batchInterval: 50 } }),
	);
	row('3b', 'n8n built-in: Batching 8 items / 50 ms', 'limiter 0, retries 0', [s3b], {
		capacity: C,
		latency: L,
	});
}

/** Scenario 4: every client's runs, by client name. */
async function overheadScenario({ server, items, setServer, nodeRun }) {
	log('4. overhead vs axios, L = 20 ms');
	await setServer({ latencyMs: L4, capacity: 64 });
	const probe = probeNodeType(server.url, C);
	const overhead = { node: [], probe: [], axios: [], axiosKeepAlive: [] };
	const warmItems = makeItems(300);
	await runAxios({ baseUrl: server.url, items: warmItems, concurrency: C }); // warm-up
	await runWorkflowNode({
		baseUrl: server.url,
		type: probe,
		parameters: probeParameters(),
		items: warmItems,
	});
	for (let i = 0; i < REPEAT; i++) {
		const round = {
			node: await nodeRun(cortecsParameters({ throughput: { maxConcurrency: C } })),
			probe: await nodeRun(probeParameters(), { type: probe }),
			axios: await runAxios({ baseUrl: server.url, items, concurrency: C }),
			// A reference only: once is enough.
			...(i === 0
				? {
						axiosKeepAlive: await runAxios({
							baseUrl: server.url,
							items,
							concurrency: C,
							keepAlive: true,
						}),
					}
				: {}),
		};
		for (const [name, result] of Object.entries(round)) {
			if (result.failed) throw new Error(`${name} lost ${result.failed} items in scenario 4`);
			overhead[name].push(result);
		}
	}
	const med = (name) => median(overhead[name].map((r) => r.wallMs));
	log(
		`  node/axios ${fmt(med('node') / med('axios'), 3)}, probe/axios ${fmt(med('probe') / med('axios'), 3)}`,
	);
	return overhead;
}

// 6: answer times as LLM APIs have them: log-normal, median 800 ms, sigma 0.8 (1 answer in 100 above
// 5 s), Max Concurrent Requests 16, no capacity limit.
const REALISTIC = { items: 320, medianMs: 800, sigma: 0.8, concurrency: 16 };

/**
 * Scenario 6: the node, each run against the same answer times in the same order of arrival (the server's
 * draws restart with every reset).
 */
async function realisticScenario({ setServer, nodeRun }) {
	const { items: count, medianMs, sigma, concurrency } = REALISTIC;
	log(`6. realistic answer times: log-normal, median ${medianMs} ms, sigma ${sigma}`);
	const settings = { latencyMs: medianMs, latencySigma: sigma };
	await setServer({ ...settings, capacity: null });
	const times = latencies();
	const answerMs = Array.from({ length: count }, () => times.next(settings));
	const items = makeItems(count);
	const parameters = cortecsParameters({ throughput: { maxConcurrency: concurrency } });
	const runs = [];
	for (let i = 0; i < REPEAT; i++) {
		const result = await nodeRun(parameters, { items });
		if (result.failed) throw new Error(`scenario 6 lost ${result.failed} items`);
		runs.push(result);
	}
	const realistic = {
		...REALISTIC,
		// The least any client can take: every slot busy all the time.
		idealMs: answerMs.reduce((sum, ms) => sum + ms, 0) / concurrency,
		p50: quantile(answerMs, 0.5),
		p99: quantile(answerMs, 0.99),
		max: Math.max(...answerMs),
		runs,
	};
	log(`  node ${seconds(median(runs.map((r) => r.wallMs)))} s`);
	return realistic;
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * values.length)];

/** Scenario 5 (memory in a fresh process, 10,000 items, L = 0, C = 64) and the expression counts. */
async function freshProcessScenarios({ server, setServer }) {
	log('5. memory, 10,000 items');
	await setServer({ latencyMs: 0, capacity: 64 });
	await server.reset();
	const memory = await child('memory.js', [server.url, '10000', '64', 'cortecs'], ['--expose-gc']);
	const memoryStats = await server.stats();
	const memoryProbe = await child(
		'memory.js',
		[server.url, '10000', '64', 'probe'],
		['--expose-gc'],
	);

	// Floor: what n8n evaluates per item (instrumented run in a fresh process).
	log('floor: expression evaluations per item');
	await setServer({ latencyMs: 0 });
	const expressions = await child('expressions.js', [server.url]);
	return { memory, memoryStats, memoryProbe, expressions };
}

async function main() {
	const started = Date.now();
	const info = machine();
	const loadBefore = load();
	log(
		`Cortecs node benchmark on ${info.cpu}, Node ${info.node}, n8n-core ${info.n8nCore} (load ${loadBefore})`,
	);
	await checkSameBodies();

	const server = await startChildServer();
	const bench = session(server);
	const only = args.only === 'realistic';
	if (!only) await capacityScenarios(bench);
	const overhead = only ? undefined : await overheadScenario(bench);
	const realistic = await realisticScenario(bench);
	const fresh = only ? undefined : await freshProcessScenarios(bench);
	await server.close();

	const text = report({
		info,
		loadBefore,
		loadAfter: load(),
		rows: bench.rows,
		overhead,
		realistic,
		...fresh,
		started,
	});
	process.stdout.write(`\n${text}\n`);
	if (OUT) fs.writeFileSync(OUT, `${text}\n`);
}

/** The report (markdown) of a run. */
function report({
	info,
	loadBefore,
	loadAfter,
	rows,
	overhead,
	realistic,
	memory,
	memoryStats,
	memoryProbe,
	expressions,
	started,
}) {
	const lines = [];
	const out = (line = '') => lines.push(line);
	out(`## Run of ${new Date().toISOString()}`);
	out();
	out(
		`Machine: ${info.cpu}, ${info.memory}, ${info.os}; Node ${info.node}; n8n-core ${info.n8nCore}, n8n-workflow ${info.n8nWorkflow}, axios ${info.axios}.`,
	);
	out(
		`Load average before / after: ${loadBefore} / ${loadAfter}${Number(loadBefore.split(' ')[0]) > 1 ? ' (other processes were busy: expect noise)' : ''}.`,
	);
	if (overhead) {
		out(
			`Repetitions: median of ${REPEAT}${REPEAT > 1 ? ' (all runs in brackets)' : ''}, after a warm-up run of ${N} items; rows without brackets ran once.`,
		);
		out();
	}
	realisticReport(realistic, out);
	if (overhead) fullReport({ rows, overhead, memory, memoryStats, memoryProbe, expressions }, out);
	out(`Total benchmark time: ${fmt((Date.now() - started) / 1000, 0)} s.`);
	return lines.join('\n');
}

/** Scenario 6's section of the report. */
function realisticReport(r, out) {
	const wall = median(r.runs.map((x) => x.wallMs));
	const all = r.runs
		.map((x) => seconds(x.wallMs))
		.sort()
		.join(', ');
	out(
		`### 6: answer times as LLM APIs have them: ${r.items} items, log-normal, median ${r.medianMs} ms, sigma ${r.sigma} (drawn: median ${fmt(r.p50, 0)} ms, p99 ${fmt(r.p99, 0)} ms, slowest ${fmt(r.max, 0)} ms), Max Concurrent Requests ${r.concurrency}, no 429s`,
	);
	out();
	out(
		`Every run gets the same answer times in the same order of arrival. Ideal = the sum of the answer times ÷ ${r.concurrency} = ${seconds(r.idealMs)} s.`,
	);
	out();
	out('| Node | Wall (s), median | All runs (s) | Wall / ideal |');
	out('|---|---:|---|---:|');
	out(`| Cortecs node | ${seconds(wall)} | ${all} | ${fmt(wall / r.idealMs, 3)} |`);
	out();
}

/** Scenarios 1-5 and the floor: the sections of a full run. */
function fullReport({ rows, overhead, memory, memoryStats, memoryProbe, expressions }, out) {
	out(
		`### 1-3: ${N} items, L = ${L} ms, C = ${C} (above C: 429 + Retry-After: 1); ideal = ceil(${N}/${C}) × ${L} ms = ${seconds(idealMs(N, C, L))} s`,
	);
	out();
	out(
		'| # | Scenario | Settings | OK | Lost / failed | 429s received | Requests sent | Max in flight (server) | Wall (s) | Wall / ideal | Note |',
	);
	out('|---|---|---|---:|---:|---:|---:|---:|---:|---|---|');
	for (const r of rows) {
		out(
			`| ${r.id} | ${r.scenario} | ${r.settings} | ${r.ok} | ${r.lost} | ${r.count429} | ${r.sent} | ${r.maxInFlight} | ${r.wall} | ${r.ratio} | ${r.note} |`,
		);
	}
	out();
	const med = (name, key) => median(overhead[name].map((r) => r[key]));
	const axiosMs = med('axios', 'wallMs');
	out(
		`### 4: node overhead, ${N} items, L = ${L4} ms, concurrency ${C} (C = 64: no 429s), median of ${REPEAT}`,
	);
	out();
	out(
		'| Client | Wall (s) | vs axios | First request after (ms) | CPU of this process per item (ms) |',
	);
	out('|---|---:|---:|---:|---:|');
	const line4 = (label, name) => {
		const wall = med(name, 'wallMs');
		const ratio = wall / axiosMs;
		out(
			`| ${label} | ${seconds(wall)} | ${fmt(ratio, 3)} | ${fmt(med(name, 'firstRequestMs'), 0)} | ${fmt(med(name, 'cpuMs') / N, 3)} |`,
		);
	};
	line4('Cortecs node (RoutingNode, limiter 8)', 'node');
	line4('Probe: smallest declarative node + plain semaphore', 'probe');
	line4('axios, new connection per request (as n8n-core)', 'axios');
	line4('axios, keep-alive agent (reference, 1 run)', 'axiosKeepAlive');
	out();
	const nodeFirst = med('node', 'firstRequestMs');
	const probeFirst = med('probe', 'firstRequestMs');
	out(`### Floor: RoutingNode prepares every item before the first request leaves`);
	out();
	out(
		`- Time from runNode() until the first request leaves, ${N} items: node ${fmt(nodeFirst, 0)} ms (${fmt((nodeFirst / N) * 1000, 0)} µs per item), probe ${fmt(probeFirst, 0)} ms (${fmt((probeFirst / N) * 1000, 0)} µs per item), axios ${fmt(med('axios', 'firstRequestMs'), 1)} ms.`,
	);
	out(
		`- That share of the node's wall time at L = ${L4} ms: ${fmt((nodeFirst / med('node', 'wallMs')) * 100, 1)} %; at L = ${L} ms (scenario 1): ${fmt((nodeFirst / idealMs(N, C, L)) * 100, 1)} % of the ideal.`,
	);
	out(
		`- The node's wall time minus the probe's: ${fmt(med('node', 'wallMs') - med('probe', 'wallMs'), 0)} ms; the probe's minus axios (n8n's own cost, lock-step included): ${fmt(med('probe', 'wallMs') - axiosMs, 0)} ms.`,
	);
	out();
	out(
		'Expression evaluations per item (instrumented run of 300 items; µs each are inflated by the instrumentation only slightly):',
	);
	out();
	out('| Who | Expression | µs each | Cortecs node: per item | Probe: per item |');
	out('|---|---|---:|---:|---:|');
	const by = (list) => new Map(list.map((e) => [e.key, e]));
	const [nodeBy, probeBy] = [by(expressions.node), by(expressions.probe)];
	const keys = [...new Set([...nodeBy.keys(), ...probeBy.keys()])];
	const cost = (key) => (nodeBy.get(key) ?? probeBy.get(key)).usEach;
	for (const key of keys.sort(
		(a, b) => (nodeBy.get(b)?.perItem ?? 0) * cost(b) - (nodeBy.get(a)?.perItem ?? 0) * cost(a),
	)) {
		const at = key.indexOf(': =');
		const per = (map) => fmt(map.get(key)?.perItem ?? 0, 2);
		out(
			`| ${key.slice(0, at)} | \`${key.slice(at + 2)}\` | ${fmt(cost(key), 0)} | ${per(nodeBy)} | ${per(probeBy)} |`,
		);
	}
	out();
	out(
		`### 5: memory, ${memory.items} items, L = 0, C = 64, Max Concurrent Requests 64 (fresh process)`,
	);
	out();
	out(
		`- Cortecs node: ${memory.ok} OK, ${memory.failed} failed, ${memoryStats.count429} 429s, wall ${seconds(memory.wallMs)} s; probe: ${memoryProbe.ok} OK, wall ${seconds(memoryProbe.wallMs)} s.`,
	);
	out();
	out(
		'| Node | Peak RSS (MiB) | RSS before the run (MiB) | Peak growth per 1,000 items (MiB) | Peak RSS per 1,000 items (MiB) | Heap still used after the run, per 1,000 items (MiB) |',
	);
	out('|---|---:|---:|---:|---:|---:|');
	for (const [label, m] of [
		['Cortecs node', memory],
		['Probe (smallest declarative node)', memoryProbe],
	]) {
		const MiB = (bytes) => bytes / 2 ** 20;
		const per = m.items / 1000;
		out(
			`| ${label} | ${fmt(MiB(m.peakRss), 0)} | ${fmt(MiB(m.baselineRss), 0)} | ${fmt(MiB(m.peakRss - m.baselineRss) / per, 1)} | ${fmt(MiB(m.peakRss) / per, 1)} | ${fmt(MiB(m.retainedHeap) / per, 2)} |`,
		);
	}
	out();
}

if (QUEUE) require('./queue');
else
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
