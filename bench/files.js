'use strict';

/**
 * Files benchmark (npm run bench:files = build + this, a few minutes): Chat → Message a Model over 1,000
 * items that each carry a 1 MiB PNG (Files: data), binary data in n8n's filesystem mode, Max Concurrent
 * Requests 8, against the test server in a child process with L = 50 ms latency and C = 8 capacity. Not a
 * test: it prints a Markdown table (rows for bench/RESULTS.md).
 *
 *   node bench/files.js [--repeat R] [--items N]
 *
 * Each round runs, each in a fresh process (bench/files-run.js): the same 1,000 prompts without files (the
 * text-only baseline), then with the images, then the image requests sent by axios alone (what any client
 * pays for them here), then with the images for 10 items (the memory baseline). The
 * targets, judged on the medians: wall / ideal with images within 10 % of the text-only run's; the peak RSS
 * of 1,000 items within 150 MiB of that of 10 (memory does not grow with the number of files).
 */
const path = require('node:path');

const { startChildServer } = require('./lib/child-server');
const { child } = require('./lib/fresh-process');
const { median, loadAverage, cpuAndMemory, numberOption } = require('./lib/machine');

const args = process.argv.slice(2);
const N = numberOption(args, '--items', 1000);
const SMALL = 10;
const REPEAT = numberOption(args, '--repeat', 3);
const L = 50;
const C = 8;

const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const mib = (bytes) => bytes / 2 ** 20;
/** The least time `requests` take with C in flight and L each: full rounds of C. */
const idealMs = (requests) => Math.ceil(requests / C) * L;

const RUNS = [
	{ key: 'text', label: `${N} prompts, no files (baseline)`, items: N, mode: 'text' },
	{ key: 'image', label: `${N} prompts, a 1 MiB PNG each`, items: N, mode: 'image' },
	{
		key: 'axios',
		label: `${N} prompts, a 1 MiB PNG each: axios alone (reference)`,
		items: N,
		mode: 'axios',
	},
	{
		key: 'small',
		label: `${SMALL} prompts, a 1 MiB PNG each (memory baseline)`,
		items: SMALL,
		mode: 'image',
	},
];

/** The versions the numbers belong to. */
const versionOf = (name) =>
	require(require.resolve(`${name}/package.json`, { paths: [path.join(__dirname, '..')] })).version;

async function main() {
	const info = {
		machine: cpuAndMemory(),
		node: process.version,
		n8nCore: versionOf('n8n-core'),
		n8nWorkflow: versionOf('n8n-workflow'),
	};
	const loadBefore = loadAverage();
	log(
		`Files benchmark on ${info.machine}, Node ${info.node}, n8n-core ${info.n8nCore} (load ${loadBefore})`,
	);
	const server = await startChildServer({ latencyMs: L, capacity: C, retryAfter: '1' });
	/** @type {Record<string, any[]>} */
	const results = { text: [], image: [], axios: [], small: [] };
	for (let round = 1; round <= REPEAT; round++) {
		for (const run of RUNS) {
			log(`round ${round}/${REPEAT}: ${run.label}`);
			await server.reset();
			const result = await child(
				'files-run.js',
				[server.url, String(run.items), run.mode],
				['--expose-gc'],
			);
			const stats = await server.stats();
			results[run.key].push({
				...result,
				ratio: result.wallMs / idealMs(run.items),
				count429: stats.count429,
				maxInFlight: stats.maxInFlight,
			});
		}
	}
	await server.close();
	process.stdout.write(`\n${report({ info, loadBefore, loadAfter: loadAverage(), results })}\n`);
}

function report({ info, loadBefore, loadAfter, results }) {
	const all = (list, pick, digits = 2) =>
		list.length > 1 ? ` (${list.map((r) => fmt(pick(r), digits)).join(', ')})` : '';
	const row = (run) => {
		const list = results[run.key];
		const m = (pick) => median(list.map(pick));
		return `| ${run.label} | ${m((r) => r.ok)} / ${run.items} | ${m((r) => r.count429)} | ${m((r) => r.maxInFlight)} | ${fmt(m((r) => r.wallMs) / 1000)} | ${fmt(m((r) => r.ratio))}${all(list, (r) => r.ratio)} | ${fmt(m((r) => r.cpuMs) / 1000, 1)} | ${fmt(mib(m((r) => r.peakRss)), 0)}${all(list, (r) => mib(r.peakRss), 0)} | ${fmt(mib(m((r) => r.peakHeap - r.baselineHeap)), 0)} | ${fmt(mib(m((r) => r.peakExternal - r.baselineExternal)), 0)} | ${fmt(mib(m((r) => r.retainedHeap)), 1)} |`;
	};
	const ratios = results.image.map((r, i) => r.ratio / results.text[i].ratio);
	const ratio =
		median(results.image.map((r) => r.ratio)) / median(results.text.map((r) => r.ratio));
	const growth = mib(
		median(results.image.map((r) => r.peakRss)) - median(results.small.map((r) => r.peakRss)),
	);
	const ok = (pass) => (pass ? '✅' : '❌');
	return [
		`Machine: ${info.machine}; Node ${info.node}; n8n-core ${info.n8nCore}, n8n-workflow ${info.n8nWorkflow}.`,
		`Load average before / after: ${loadBefore} / ${loadAfter}. Median of ${REPEAT} rounds (all rounds in brackets); every run in a fresh process.`,
		'',
		`L = ${L} ms, C = ${C} (above C: 429 + Retry-After: 1), Max Concurrent Requests ${C}; ideal = ceil(items / ${C}) × ${L} ms (${N} items: ${fmt(idealMs(N) / 1000)} s). Memory in MiB: peak RSS of the process; heap and external (Buffers) as the peak during the run above the baseline before it (sampled every 20 ms); retained: heap still alive after the run and a full GC.`,
		'',
		'| Run | OK | 429s | Max in flight | Wall (s) | Wall / ideal | CPU (s) | Peak RSS | Heap peak | External peak | Retained |',
		'| --- | --: | --: | --: | --: | --- | --: | --- | --: | --: | --: |',
		...RUNS.map(row),
		'',
		`- Wall / ideal with images ÷ without: ${fmt(ratio, 3)} (per round: ${ratios.map((r) => fmt(r, 3)).join(', ')}); target ≤ 1.10 ${ok(ratio <= 1.1)}`,
		`- Peak RSS, ${N} items − ${SMALL} items: ${fmt(growth, 0)} MiB; target ≤ 150 MiB ${ok(growth <= 150)}`,
		`- The node's wall / ideal with images ÷ axios alone with the same requests: ${fmt(median(results.image.map((r) => r.ratio)) / median(results.axios.map((r) => r.ratio)), 3)}`,
	].join('\n');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
