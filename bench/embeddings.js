'use strict';

/**
 * Embedding → Create benchmark (npm run bench:embeddings = build + this, a few minutes): 10,000 texts,
 * Batch Size 100, Max Concurrent Requests 8, against the test server in a child process with L = 50 ms
 * latency and C = 8 capacity. Not a test: it prints a Markdown table (rows for bench/RESULTS.md).
 *
 *   node bench/embeddings.js [--per-item N] [--repeat R]
 *
 * --per-item: how many texts the one-request-per-item baseline sends (default 2,000: at 8 × 50 ms per
 * round, 10,000 would take 63 s alone); --repeat: rounds of the batched rows (median; default 3).
 *
 * The baseline for the batched rows is the floor (bench/lib/runners.js): the smallest declarative node,
 * answered without HTTP, over the same items. RoutingNode builds every item's request before any can
 * leave, so no declarative node finishes sooner than floor + ideal. Each round runs the floor and then
 * the batched rows, and each row's ratio to floor + ideal uses the floor of its own round. F0/E0 give every
 * item the same fixed text: without the expression RoutingNode evaluates per item, the least any
 * declarative node pays.
 */
const os = require('node:os');

const { startChildServer } = require('./lib/child-server');
const { median, loadAverage, numberOption } = require('./lib/machine');
const {
	cortecsNodeType,
	floorNodeType,
	floorParameters,
	runWorkflowNode,
} = require('./lib/runners');

const args = process.argv.slice(2);
const option = (name, fallback) => numberOption(args, name, fallback);

const N = 10_000;
const BATCH = 100;
const L = 50;
const C = 8;
const PER_ITEM_N = option('--per-item', 2000);
const REPEAT = option('--repeat', 3);

const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
/** The least time `requests` take with C in flight and L each: full rounds of C. */
const idealMs = (requests) => Math.ceil(requests / C) * L;

const texts = (count) =>
	Array.from({ length: count }, (_, i) => ({
		json: {
			text: `Chunk ${i + 1} of the staff handbook: personal data of EU customers is processed in the EU only.`,
		},
	}));

/** The item's text, as a workflow gives it. */
const EXPRESSION = '={{ $json.text }}';
/** One text for every item: nothing for RoutingNode to evaluate per item. */
const FIXED =
	'Chunk of the staff handbook: personal data of EU customers is processed in the EU only.';

function parameters(batchSize, { batching, text = EXPRESSION } = {}) {
	return {
		resource: 'embedding',
		operation: 'create',
		model: { __rl: true, mode: 'id', value: 'multilingual-e5-large' },
		text,
		options: { batchSize },
		throughput: { maxConcurrency: C },
		...(batching ? { requestOptions: { batching: { batch: batching } } } : {}),
	};
}

async function main() {
	const server = await startChildServer();
	const cortecs = cortecsNodeType();
	const floor = floorNodeType();
	const rows = [];
	const loadBefore = loadAverage();

	/** One node run; the server's count of requests; how many items got a vector. */
	async function run(type, items, params) {
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

	/**
	 * `repeat` rounds over the same items: the floor, then each scenario. Rows: the floor, then each
	 * scenario with its median wall and its ratios to the ideal and to the floor of the same round + ideal.
	 */
	async function rounds(floorId, items, scenarios, repeat, floorText = EXPRESSION) {
		const floorRuns = [];
		const runs = scenarios.map(() => []);
		for (let round = 0; round < repeat; round++) {
			floorRuns.push(await run(floor, items, floorParameters(floorText)));
			for (const [i, s] of scenarios.entries()) {
				const r = await run(cortecs, items, s.params);
				r.floorMs = floorRuns[round].wallMs;
				runs[i].push(r);
			}
		}
		const spread = (values) =>
			values.length > 1
				? ` (${[...values]
						.sort((a, b) => a - b)
						.map((x) => fmt(x))
						.join(', ')})`
				: '';
		const floorMs = median(floorRuns.map((r) => r.wallMs));
		const f = floorRuns.find((r) => r.wallMs === floorMs);
		rows.push({
			id: floorId,
			scenario: `Floor: smallest declarative node, answered without HTTP${floorText === EXPRESSION ? '' : ', the fixed text'}`,
			items: items.length,
			ok: f.ok,
			sent: f.sent,
			count429: f.count429,
			maxInFlight: f.maxInFlight,
			wall: `${fmt(floorMs / 1000)}${spread(floorRuns.map((r) => r.wallMs / 1000))}`,
			ideal: '–',
			ratio: '–',
			prepared: '–',
			ratioFloor: '–',
			note: "n8n's preparation of the items alone; measured in each round before the rows below",
		});
		log(`  ${floorId}: floor ${fmt(floorMs / 1000)} s`);
		for (const [i, s] of scenarios.entries()) {
			const wallMs = median(runs[i].map((r) => r.wallMs));
			const r = runs[i].find((x) => x.wallMs === wallMs);
			const ideal = idealMs(r.sent);
			const toIdeal = runs[i].map((x) => x.wallMs / idealMs(x.sent));
			const toFloor = runs[i].map((x) => x.wallMs / (x.floorMs + idealMs(x.sent)));
			rows.push({
				id: s.id,
				scenario: s.scenario,
				items: items.length,
				ok: r.ok,
				sent: r.sent,
				count429: r.count429,
				maxInFlight: r.maxInFlight,
				wall: fmt(wallMs / 1000),
				ideal: fmt(ideal / 1000),
				ratio: `${fmt(median(toIdeal))}${spread(toIdeal)}`,
				prepared: fmt(r.firstRequestMs / 1000),
				ratioFloor: `${fmt(median(toFloor))}${spread(toFloor)}`,
				note: s.note ?? '',
			});
			log(
				`  ${s.id}: ${s.scenario}: ${r.sent} requests, wall ${fmt(wallMs / 1000)} s, ideal ${fmt(ideal / 1000)} s, first request after ${fmt(r.firstRequestMs / 1000)} s`,
			);
		}
	}

	try {
		await server.configure({ latencyMs: L, capacity: C, retryAfter: '1' });
		log(`warm-up (load average ${loadBefore})`);
		await run(floor, texts(2000), floorParameters());
		await run(cortecs, texts(2000), parameters(BATCH));
		await rounds(
			'F',
			texts(N),
			[
				{ id: 'E1', scenario: `Batch Size ${BATCH}`, params: parameters(BATCH) },
				{
					id: 'E1b',
					scenario: `Batch Size ${BATCH} + n8n Batching ${BATCH} items / 1 ms`,
					params: parameters(BATCH, { batching: { batchSize: BATCH, batchInterval: 1 } }),
					note: 'RoutingNode pauses every 100 items: full batches leave while it builds the rest',
				},
			],
			REPEAT,
		);
		await rounds(
			'F0',
			texts(N),
			[
				{
					id: 'E0',
					scenario: `Batch Size ${BATCH}, one fixed text for every item`,
					params: parameters(BATCH, { text: FIXED }),
					note: 'no expression evaluated per item: the best case of any declarative node',
				},
			],
			REPEAT,
			FIXED,
		);
		await rounds(
			'F2',
			texts(PER_ITEM_N),
			[
				{
					id: 'E2',
					scenario: 'One request per item (Batch Size 1)',
					params: parameters(1),
					note: `${PER_ITEM_N} texts (10,000 would need ${fmt(idealMs(N) / 1000, 1)} s ideal)`,
				},
			],
			1,
		);
	} finally {
		await server.close();
	}

	const header = [
		`Embedding → Create, L = ${L} ms, C = ${C}, Max Concurrent Requests ${C}; ideal = ceil(requests / ${C}) × ${L} ms`,
		`Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}; load average ${loadBefore} before, ${loadAverage()} after`,
		'',
		'| # | Scenario | Texts | With a vector | Requests sent | 429s | Max in flight | Wall (s) | Ideal (s) | Wall / ideal | First request after (s) | Wall / (floor + ideal) | Note |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|',
	];
	const lines = rows.map(
		(r) =>
			`| ${r.id} | ${r.scenario} | ${r.items} | ${r.ok} | ${r.sent} | ${r.count429} | ${r.maxInFlight} | ${r.wall} | ${r.ideal} | ${r.ratio} | ${r.prepared} | ${r.ratioFloor} | ${r.note} |`,
	);
	process.stdout.write(`${[...header, ...lines].join('\n')}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
