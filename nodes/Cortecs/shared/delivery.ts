import { NodeOperationError } from 'n8n-workflow';

import { backoffMs, nextAttempt } from './backoff';
import { FAILURE, type CortecsError, type CortecsFailure, type ErrorContext } from './errors';
import { toCortecsError } from './networkErrors';
import type { Pauses } from './pauses';

/** An attempt's turn: given (say when the attempt is over), or refused (the request is not sent). */
export type Turn = { release: () => void; notSent?: NodeOperationError };

/**
 * One request's delivery, whatever carries it (the Cortecs node's RoutingNode request, a sub-node's HTTP
 * request): its attempts, the waits between them, and the error that ends it.
 */
export interface Delivery<T> {
	/** The node and item the errors are about. */
	context: ErrorContext;
	/** How often the request is sent again after a retryable failure (a 429 with Retry-After aside). */
	maxRetries: number;
	/** The execution's cancel signal: a stopped execution ends the delivery, whatever it waits for. */
	signal?: AbortSignal;
	/** The waits between attempts (they end when the execution stops). */
	pauses: Pauses;
	/**
	 * One attempt. Everything the request holds only while it is out (encoded files, a stream) is built
	 * and let go in here, so a request that waits for its retry holds none of it. A failed answer throws a
	 * CortecsError (errors.ts); whatever else it throws is mapped to one (networkErrors.ts), except a
	 * NodeOperationError: bad input, which ends the delivery as it is, not retried.
	 */
	send: (attempt: number) => Promise<T>;
	/** Waits for an attempt's turn (the Cortecs node: a slot of its limiter). */
	turn?: (attempt: number) => Promise<Turn>;
	/** Each failed attempt, before its wait (the Cortecs node's limiter sends less after a 429 or 503). */
	onFailure?: (failure: CortecsFailure) => void;
	/**
	 * The delivery failed for good. Called before the caller resumes, so requests waiting for the turn this
	 * one just freed see the failure first.
	 */
	onGiveUp?: (error: CortecsError | NodeOperationError) => void;
}

/**
 * Sends a request until it succeeds or another attempt cannot help. A 429 with Retry-After waits as long
 * as asked and does not use up Max Retries (within the limit of backoff.ts nextAttempt); other retryable
 * failures back off; a stopped execution ends it at once. It throws a NodeApiError with the API's
 * message, the hint and the HTTP code, saying how often the request was sent.
 */
export async function deliver<T>(delivery: Delivery<T>): Promise<T> {
	const { context, maxRetries, signal, pauses, send, turn, onFailure, onGiveUp } = delivery;
	let rateLimited = 0;
	for (let attempt = 0; ; attempt++) {
		let failed: CortecsError | undefined;
		let bad: NodeOperationError | undefined;
		let release: (() => void) | undefined;
		try {
			const granted = await turn?.(attempt);
			release = granted?.release;
			if (granted?.notSent) throw granted.notSent;
			return await send(attempt);
		} catch (error) {
			if (error instanceof NodeOperationError) bad = error;
			else failed = toCortecsError(context, error, signal?.aborted === true);
		} finally {
			// The turn is free while this request waits for its retry.
			release?.();
		}
		if (bad) {
			onGiveUp?.(bad);
			throw bad;
		}
		let error = failed!;
		const info = error[FAILURE]!;
		onFailure?.(info);
		const next = nextAttempt(info, attempt, rateLimited, maxRetries);
		if (next !== 'stop' && !signal?.aborted) {
			if (next === 'waitTurn') rateLimited++;
			try {
				await pauses.pause(backoffMs(attempt, info));
				continue;
			} catch {
				error = toCortecsError(context, undefined, true);
			}
		}
		if (attempt > 0) error.description = `${error.description} (Sent ${attempt + 1} times.)`;
		onGiveUp?.(error);
		throw error;
	}
}
