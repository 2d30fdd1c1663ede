'use strict';

/**
 * Peak memory of one node run over many items, in a fresh process (so earlier scenarios of run.js do
 * not count): `node --expose-gc bench/memory.js <baseUrl> <items> <maxConcurrency> [cortecs|probe]`.
 * Prints one JSON line. Run by bench/run.js against its test server (L = 0, C = 64). The probe (the
 * smallest declarative node doing the same job) shows what n8n itself keeps per item.
 */
const { makeItems, nodeAt, runWorkflowNode } = require('./lib/runners');

async function main() {
	const [baseUrl, count = '10000', concurrency = '64', which = 'cortecs'] = process.argv.slice(2);
	const { type, parameters } = nodeAt(which, baseUrl, Number(concurrency));
	// Warm up (modules, JIT) on a few items, so the baseline holds everything but the run's own data.
	await runWorkflowNode({ baseUrl, type, parameters, items: makeItems(20) });
	global.gc?.();
	const baselineRss = process.memoryUsage().rss;
	const items = makeItems(Number(count));
	const baselineHeap = process.memoryUsage().heapUsed;
	const { output, ...result } = await runWorkflowNode({
		baseUrl,
		type,
		parameters,
		items,
		keepOutput: true,
	});
	// maxRSS: the peak resident set size of this process so far, in KiB.
	const peakRss = process.resourceUsage().maxRSS * 1024;
	global.gc?.();
	// What stays alive once the run is over: the input and output items (the output is still referenced).
	const retainedHeap = process.memoryUsage().heapUsed - baselineHeap;
	process.stdout.write(
		`${JSON.stringify({ ...result, items: items.length, outputs: output.length, baselineRss, peakRss, retainedHeap })}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
