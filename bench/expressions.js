'use strict';

/**
 * Who evaluates which expression how often per item, for the Cortecs node and for the probe (the smallest
 * declarative node doing the same job). n8n evaluates `={{ ... }}` values through
 * Expression.resolveSimpleParameterValue; this wraps it (in this child process only) and files each
 * call under its caller, read from the stack. Slow on purpose; timings come from run.js, not from here.
 *
 * `node bench/expressions.js <baseUrl>` prints one JSON line.
 */
const { Expression } = require('n8n-workflow');
const { makeItems, nodeAt, runWorkflowNode } = require('./lib/runners');

function callerOf(stack, expression) {
	if (/chatRequest\.js/.test(stack)) return 'node preSend (buildChatRequest) reads the messages';
	if (/authenticate/.test(stack))
		return "n8n: the credential's Authorization header (once per request)";
	if (/getRequestOptionsFromParameters/.test(stack))
		return 'n8n RoutingNode: routed parameters and fixedCollection rows';
	if (/baseURL|baseUrl/.test(expression))
		return 'n8n RoutingNode: requestDefaults.baseURL of the node';
	return 'n8n RoutingNode: the value of every top-level parameter';
}

async function count(run, items) {
	const calls = new Map();
	const original = Expression.prototype.resolveSimpleParameterValue;
	Expression.prototype.resolveSimpleParameterValue = function (value, ...rest) {
		if (typeof value !== 'string' || value.charAt(0) !== '=')
			return original.call(this, value, ...rest);
		const started = performance.now();
		const result = original.call(this, value, ...rest);
		const elapsed = performance.now() - started;
		const stackTraceLimit = Error.stackTraceLimit;
		Error.stackTraceLimit = 25;
		const key = `${callerOf(new Error().stack, value)}: ${value}`;
		Error.stackTraceLimit = stackTraceLimit;
		const entry = calls.get(key) ?? { calls: 0, ms: 0 };
		entry.calls++;
		entry.ms += elapsed;
		calls.set(key, entry);
		return result;
	};
	try {
		await run(items);
	} finally {
		Expression.prototype.resolveSimpleParameterValue = original;
	}
	return [...calls].map(([key, { calls: n, ms }]) => ({
		key,
		perItem: n / items.length,
		usEach: (ms / n) * 1000,
	}));
}

async function main() {
	const [baseUrl] = process.argv.slice(2);
	const items = makeItems(300);
	const runner = (which) => {
		const { type, parameters } = nodeAt(which, baseUrl, 8);
		return (list) => runWorkflowNode({ baseUrl, type, parameters, items: list });
	};
	const runCortecs = runner('cortecs');
	const runProbe = runner('probe');
	await runCortecs(makeItems(50)); // warm-up: the first evaluations compile and are slower
	await runProbe(makeItems(50));
	const node = await count(runCortecs, items);
	const smallest = await count(runProbe, items);
	process.stdout.write(`${JSON.stringify({ node, probe: smallest })}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
