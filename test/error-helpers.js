/**
 * Shared helpers for the error tests (bad-input, api-errors, continue-on-fail, secrets): one-call runs of
 * a chat completion, and dumps of everything an item or an error holds, hidden fields included.
 */
const util = require('node:util');

const { runNode, chatParameters } = require('../tools/harness/routing');

/** Chat parameters with retries off (fast, one request per item) unless the test sets Throughput itself. */
function chat(extra = {}) {
	return chatParameters({ throughput: { maxRetries: 0 }, ...extra });
}

/** Chat parameters whose one user message is `content`. */
function say(content, extra = {}) {
	return chat({ messages: { message: [{ role: 'user', content }] }, ...extra });
}

/**
 * Every string reachable from `value`: own keys of every object (non-enumerable and symbol keys too),
 * Error fields (message, description, stack, cause, context, errorResponse, messages...), Buffers,
 * Maps and Sets. Plus util.inspect with hidden fields, for anything the walk cannot see.
 */
function dumpAll(value) {
	const seen = new WeakSet();
	const out = [];
	const visit = (v, depth) => {
		if (v === null || v === undefined || depth > 40) return;
		const type = typeof v;
		if (type === 'string') return void out.push(v);
		if (type === 'number' || type === 'boolean' || type === 'bigint')
			return void out.push(String(v));
		if (type === 'symbol') return void out.push(v.toString());
		if (type !== 'object' && type !== 'function') return;
		if (seen.has(v)) return;
		seen.add(v);
		if (Buffer.isBuffer(v)) return void out.push(v.toString('utf8'));
		if (v instanceof Map) for (const [k, x] of v) (visit(k, depth + 1), visit(x, depth + 1));
		if (v instanceof Set) for (const x of v) visit(x, depth + 1);
		for (const key of Reflect.ownKeys(v)) {
			out.push(String(key));
			let x;
			try {
				x = v[key];
			} catch {
				continue;
			}
			visit(x, depth + 1);
		}
		if (v instanceof Error) {
			// Fields that may live on the prototype chain or behind getters.
			for (const key of [
				'message',
				'stack',
				'cause',
				'description',
				'context',
				'errorResponse',
				'messages',
				'httpCode',
			]) {
				visit(v[key], depth + 1);
			}
			if (typeof v.toJSON === 'function') visit(v.toJSON(), depth + 1);
		}
	};
	visit(value, 0);
	let inspected = '';
	try {
		inspected = util.inspect(value, {
			showHidden: true,
			depth: 12,
			maxArrayLength: null,
			maxStringLength: null,
		});
	} catch {
		// a getter that throws: the walk above still has everything else
	}
	let json = '';
	try {
		json = JSON.stringify(value);
	} catch {
		// circular: covered by the walk
	}
	return [...out, inspected, json].join('\n');
}

/** The output of one run, errors included, as one searchable text. */
function dumpRun(result) {
	return dumpAll({ items: result.items, error: result.error });
}

/**
 * Captures everything written to stdout/stderr, console and n8n's loggers (n8n-core's Logger from the DI
 * container and n8n-workflow's LoggerProxy) until `stop()`.
 */
function captureLogs() {
	const lines = [];
	const restore = [];
	const wrap = (target, name, label) => {
		if (!target || typeof target[name] !== 'function') return;
		const original = target[name];
		target[name] = function (...args) {
			lines.push(`${label}.${name} ${dumpAll(args)}`);
			// The console and the streams keep working; the loggers are muted (they would print in jest).
			if (label === 'stdout' || label === 'stderr') return original.apply(this, args);
			return undefined;
		};
		restore.push(() => {
			target[name] = original;
		});
	};
	wrap(process.stdout, 'write', 'stdout');
	wrap(process.stderr, 'write', 'stderr');
	for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'])
		wrap(console, name, 'console');
	const { Container } = require('@n8n/di');
	const { Logger } = require('@n8n/backend-common');
	const logger = Container.get(Logger);
	const { LoggerProxy } = require('n8n-workflow');
	for (const name of ['error', 'warn', 'info', 'debug', 'verbose']) {
		wrap(logger, name, 'logger');
		wrap(LoggerProxy, name, 'LoggerProxy');
	}
	return {
		lines,
		logger,
		text: () => lines.join('\n'),
		stop: () => restore.reverse().forEach((undo) => undo()),
	};
}

/** The fields a test compares: the item's json, the error's class, message, description, httpCode, itemIndex. */
function errorShape(error) {
	if (!error) return undefined;
	return {
		class: error.constructor.name,
		message: error.message,
		description: error.description,
		httpCode: error.httpCode,
		itemIndex: error.context?.itemIndex,
	};
}

module.exports = { runNode, chat, say, dumpAll, dumpRun, captureLogs, errorShape };
