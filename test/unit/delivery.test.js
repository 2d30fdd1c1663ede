/** deliver (shared/delivery.ts): the one loop of attempts, waits and errors every node sends through. */
const path = require('node:path');
const { NodeApiError, NodeOperationError } = require('n8n-workflow');

const shared = (file) =>
	path.join(__dirname, '..', '..', 'dist', 'nodes', 'Cortecs', 'shared', file);
const { deliver } = require(shared('delivery.js'));
const { apiError } = require(shared('errors.js'));
const { BACKOFF } = require(shared('backoff.js'));
const { errorContext, nodeNamed } = require('./stubs');

/** Waits that are recorded, not waited (the loop's only clock). */
const recordedPauses = () => {
	const waits = [];
	return { waits, pause: async (ms) => void waits.push(ms) };
};

/** A failed answer as the senders throw it. */
const answered = (status, retryAfterMs) =>
	apiError(
		errorContext,
		{ status, retryable: status === 429 || status >= 500, retryAfterMs },
		`Cortecs API error ${status}: no`,
		`hint ${status}`,
	);

/** A sender that fails with `failures` in turn, then answers 'ok'; it records the attempts it saw. */
const sender = (...failures) => {
	const attempts = [];
	const send = async (attempt) => {
		attempts.push(attempt);
		const failure = failures[attempts.length - 1];
		if (failure) throw typeof failure === 'function' ? failure() : failure;
		return 'ok';
	};
	return { attempts, send };
};

const run = (send, extra = {}) => {
	const pauses = extra.pauses ?? recordedPauses();
	return {
		pauses,
		result: deliver({ context: errorContext, maxRetries: 2, pauses, send, ...extra }),
	};
};

test('an answer on the first attempt is returned as it is, sent once, without a wait', async () => {
	const { attempts, send } = sender();
	const { pauses, result } = run(send);
	await expect(result).resolves.toBe('ok');
	expect(attempts).toEqual([0]);
	expect(pauses.waits).toEqual([]);
});

test('a retryable failure is sent again after a backoff wait', async () => {
	const { attempts, send } = sender(answered(503), answered(500));
	const { pauses, result } = run(send);
	await expect(result).resolves.toBe('ok');
	expect(attempts).toEqual([0, 1, 2]);
	expect(pauses.waits).toHaveLength(2);
	expect(pauses.waits[0]).toBeGreaterThanOrEqual(BACKOFF.baseMs / 2);
	expect(pauses.waits[0]).toBeLessThanOrEqual(BACKOFF.baseMs);
	expect(pauses.waits[1]).toBeGreaterThanOrEqual(BACKOFF.baseMs);
	expect(pauses.waits[1]).toBeLessThanOrEqual(BACKOFF.baseMs * 2);
});

test('a 429 with Retry-After waits as asked and does not use up Max Retries', async () => {
	const { attempts, send } = sender(answered(429, 1500), answered(429, 1500), answered(429, 700));
	const { pauses, result } = run(send, { maxRetries: 1 });
	await expect(result).resolves.toBe('ok');
	expect(attempts).toEqual([0, 1, 2, 3]);
	expect(pauses.waits).toEqual([1500, 1500, 700]);
});

test('waits for turns are limited: past the limit a 429 counts against Max Retries', async () => {
	const limit = BACKOFF.rateLimitedRetries;
	const { attempts, send } = sender(...Array.from({ length: limit + 5 }, () => answered(429, 10)));
	const { pauses, result } = run(send, { maxRetries: 1 });
	const error = await result.catch((e) => e);
	expect(error.httpCode).toBe('429');
	// The limit's waits for turns, then the one retry Max Retries allows.
	expect(attempts).toHaveLength(limit + 2);
	expect(pauses.waits).toHaveLength(limit + 1);
	expect(error.description).toBe(`hint 429 (Sent ${limit + 2} times.)`);
});

test('Max Retries 0 sends once, even a 429 with Retry-After', async () => {
	const { attempts, send } = sender(answered(429, 10));
	const { result } = run(send, { maxRetries: 0 });
	await expect(result).rejects.toMatchObject({ httpCode: '429', description: 'hint 429' });
	expect(attempts).toEqual([0]);
});

test('a failure no retry can fix ends at once, with the API’s message and the hint', async () => {
	const failure = answered(401);
	const { attempts, send } = sender(failure);
	const { pauses, result } = run(send);
	await expect(result).rejects.toBe(failure);
	expect(failure.description).toBe('hint 401');
	expect(attempts).toEqual([0]);
	expect(pauses.waits).toEqual([]);
});

test('the last failure says how often the request was sent', async () => {
	const { send } = sender(answered(503), answered(503), answered(502));
	const error = await run(send).result.catch((e) => e);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.httpCode).toBe('502');
	expect(error.message).toBe('Cortecs API error 502: no');
	expect(error.description).toBe('hint 502 (Sent 3 times.)');
});

test('whatever else a send throws becomes a NodeApiError with the network hint, and is retried', async () => {
	const refused = () =>
		Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
	const { attempts, send } = sender(refused, refused, refused);
	const error = await run(send).result.catch((e) => e);
	expect(attempts).toEqual([0, 1, 2]);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.httpCode).toBe('ECONNREFUSED');
	expect(error.message).toBe('Could not reach the Cortecs API: connection refused (ECONNREFUSED)');
	expect(error.description).toMatch(/^Nothing answers at the Base URL .* \(Sent 3 times\.\)$/);
});

test('a NodeOperationError from a send is bad input: the delivery ends with it, unchanged, not retried', async () => {
	const bad = new NodeOperationError(nodeNamed('Cortecs'), 'Files: no binary property "data"');
	const { attempts, send } = sender(bad);
	const gaveUp = [];
	const { pauses, result } = run(send, { onGiveUp: (e) => gaveUp.push(e) });
	await expect(result).rejects.toBe(bad);
	expect(bad.description).toBeUndefined();
	expect(attempts).toEqual([0]);
	expect(pauses.waits).toEqual([]);
	expect(gaveUp).toEqual([bad]);
});

test('each attempt waits for its turn and gives it back before the wait for the next', async () => {
	const log = [];
	const { send } = sender(answered(503));
	const pauses = { pause: async (ms) => void log.push(`wait ${ms > 0}`) };
	const result = await deliver({
		context: errorContext,
		maxRetries: 2,
		pauses,
		turn: async (attempt) => {
			log.push(`turn ${attempt}`);
			return { release: () => log.push(`release ${attempt}`) };
		},
		send: async (attempt) => {
			log.push(`send ${attempt}`);
			return await send(attempt);
		},
		onFailure: (failure) => log.push(`failed ${failure.status}`),
	});
	expect(result).toBe('ok');
	expect(log).toEqual([
		'turn 0',
		'send 0',
		'release 0',
		'failed 503',
		'wait true',
		'turn 1',
		'send 1',
		'release 1',
	]);
});

test('a turn refused ends the delivery with its error, unsent, and the turn given back', async () => {
	const notSent = new NodeOperationError(nodeNamed('Cortecs'), 'Cortecs request not sent');
	const log = [];
	const { attempts, send } = sender();
	const error = await deliver({
		context: errorContext,
		maxRetries: 2,
		pauses: recordedPauses(),
		turn: async () => ({ release: () => log.push('release'), notSent }),
		send,
		onGiveUp: () => log.push('gave up'),
	}).catch((e) => e);
	expect(error).toBe(notSent);
	expect(attempts).toEqual([]);
	expect(log).toEqual(['release', 'gave up']);
});

test('onGiveUp runs before the caller resumes, with the final error', async () => {
	const order = [];
	const { send } = sender(answered(400));
	await deliver({
		context: errorContext,
		maxRetries: 2,
		pauses: recordedPauses(),
		send,
		onGiveUp: (error) => order.push(`gave up ${error.httpCode}`),
	}).catch(() => order.push('caller'));
	expect(order).toEqual(['gave up 400', 'caller']);
});

test('a stopped execution ends the delivery: no retry, and a wait in progress ends as cancelled', async () => {
	const controller = new AbortController();
	controller.abort();
	const { attempts, send } = sender(answered(503));
	const stopped = await run(send, { signal: controller.signal }).result.catch((e) => e);
	expect(attempts).toEqual([0]);
	expect(stopped.httpCode).toBe('503');

	const cut = sender(() => new Error('socket hang up'));
	const error = await run(cut.send, { signal: controller.signal }).result.catch((e) => e);
	expect(error.message).toBe('Cortecs request cancelled');
	expect(error.description).toBe('The execution was stopped.');

	const waiting = sender(answered(503));
	const interrupted = await run(waiting.send, {
		pauses: { pause: async () => Promise.reject(new Error('aborted')) },
	}).result.catch((e) => e);
	expect(interrupted.message).toBe('Cortecs request cancelled');
	expect(interrupted.description).toBe('The execution was stopped.');
});

test('a caller can wrap each attempt: what it builds before the bytes leave is let go before every wait', async () => {
	let held = 0;
	const heldDuringWaits = [];
	const { send } = sender(answered(429, 5), answered(503));
	const around = async (attempt) => {
		held++; // e.g. a file read and encoded for this attempt
		try {
			return await send(attempt);
		} finally {
			held--;
		}
	};
	const result = await deliver({
		context: errorContext,
		maxRetries: 2,
		pauses: { pause: async () => void heldDuringWaits.push(held) },
		send: around,
	});
	expect(result).toBe('ok');
	expect(heldDuringWaits).toEqual([0, 0]);
	expect(held).toBe(0);
});
