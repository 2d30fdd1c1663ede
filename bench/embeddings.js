'use strict';

/**
 * Embedding → Create benchmark (npm run bench:embeddings = build + this, a few minutes): 10,000 texts,
 * Batch Size 100, Max Concurrent Requests 8, against the test server in a child process with L = 50 ms
 * latency and C = 8 capacity. Not a test: it prints a Markdown table (rows for bench/RESULTS.md).
 *
 *   node bench/embeddings.js [--per-item N] [--repeat R]
 *
 * --per-item: how many texts the one-request-per-item baseline sends (default 2,000: at 8 × 50 ms per
 * round, 10,000 would take 63 s alone); --repeat: runs of each batched row (median; default 3).
 */
const { startChildServer } = require('./lib/child-server');
const { cortecsNodeType, runWorkflowNode } = require('./lib/runners');

const args = process.argv.slice(2);
const option = (name, fallback) =>
	args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;

const N = 10_000;
const BATCH = 100;
const L = 50;
const C = 8;
const PER_ITEM_N = option('--per-item', 2000);
const REPEAT = option('--repeat', 3);

const log = (line) => process.stderr.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
/** The least time `requests` take with C in flight and L each: full rounds of C. */
const idealMs = (requests) => Math.ceil(requests / C) * L;

const texts = (count) =>
	Array.from({ length: count }, (_, i) => ({
		json: {
			text: `Chunk ${i + 1} of the staff handbook: personal data of EU customers is processed in the EU only.`,
		},
	}));

function parameters(batchSize, batching) {
	return {
		resource: 'embedding',
		operation: 'create',
		model: { __rl: true, mode: 'id', value: 'multilingual-e5-large' },
		text: '={{ $json.text }}',
		options: { batchSize },
		throughput: { maxConcurrency: C },
		...(batching ? { requestOptions: { batching: { batch: batching } } } : {}),
	};
}

async function main() {
	const server = await startChildServer();
	const type = cortecsNodeType();
	const rows = [];

	/** One node run; the server's count of requests; how many items got a vector. */
	async function run(items, params) {
		await server.reset();
		const result = await runWorkflowNode({
			baseUrl: server.url,
			type,
			parameters: params,
			items,
			keepOutput: true,
		});
		const stats = await server.stats();
		const ok = (result.output ?? []).filter(
			(item) => !item.error && Array.isArray(item.json.embedding),
		).length;
		return {
			...result,
			ok,
			sent: stats.total,
			count429: stats.count429,
			maxInFlight: stats.maxInFlight,
		};
	}

	async function measure(id, scenario, items, params, repeat, note = '') {
		const runs = [];
		for (let i = 0; i < repeat; i++) runs.push(await run(items, params));
		const wallMs = median(runs.map((r) => r.wallMs));
		const r = runs.find((x) => x.wallMs === wallMs);
		const ideal = idealMs(r.sent);
		// RoutingNode builds every item's request in one synchronous pass before any request can leave: the
		// time until the first request is n8n's, whatever the node does.
		const prepared = r.firstRequestMs;
		rows.push({
			id,
			scenario,
			items: items.length,
			ok: r.ok,
			sent: r.sent,
			count429: r.count429,
			maxInFlight: r.maxInFlight,
			wall: fmt(wallMs / 1000),
			ideal: fmt(ideal / 1000),
			ratio: `${fmt(wallMs / ideal)}${
				runs.length > 1
					? ` (${runs
							.map((x) => fmt(x.wallMs / ideal))
							.sort()
							.join(', ')})`
					: ''
			}`,
			prepared: fmt(prepared / 1000),
			ratioAfter: fmt(wallMs / (prepared + ideal)),
			note,
		});
		log(
			`  ${id}: ${scenario}: ${r.sent} requests, wall ${fmt(wallMs / 1000)} s, ideal ${fmt(ideal / 1000)} s, first request after ${fmt(prepared / 1000)} s`,
		);
	}

	try {
		await server.configure({ latencyMs: L, capacity: C, retryAfter: '1' });
		log('warm-up');
		await run(texts(2000), parameters(BATCH));
		const items = texts(N);
		await measure('E1', `Batch Size ${BATCH}`, items, parameters(BATCH), REPEAT);
		await measure(
			'E1b',
			`Batch Size ${BATCH} + n8n Batching ${BATCH} items / 1 ms`,
			items,
			parameters(BATCH, { batchSize: BATCH, batchInterval: 1 }),
			REPEAT,
			'RoutingNode pauses every 100 items: full batches leave while it builds the rest',
		);
		await measure(
			'E2',
			'One request per item (Batch Size 1)',
			texts(PER_ITEM_N),
			parameters(1),
			1,
			`${PER_ITEM_N} texts (10,000 would need ${fmt(idealMs(N) / 1000, 1)} s ideal)`,
		);
	} finally {
		await server.close();
	}

	const header = [
		`Embedding → Create, L = ${L} ms, C = ${C}, Max Concurrent Requests ${C}; ideal = ceil(requests / ${C}) × ${L} ms`,
		'',
		'| # | Scenario | Texts | With a vector | Requests sent | 429s | Max in flight | Wall (s) | Ideal (s) | Wall / ideal | First request after (s) | Wall / (first request + ideal) | Note |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|',
	];
	const lines = rows.map(
		(r) =>
			`| ${r.id} | ${r.scenario} | ${r.items} | ${r.ok} | ${r.sent} | ${r.count429} | ${r.maxInFlight} | ${r.wall} | ${r.ideal} | ${r.ratio} | ${r.prepared} | ${r.ratioAfter} | ${r.note} |`,
	);
	process.stdout.write(`${[...header, ...lines].join('\n')}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
