import { sleep } from 'n8n-workflow';

/**
 * Waits that end at once when the run's execution is stopped. One abort listener per run, however many
 * items wait (sleepWithAbort adds one per wait, and Node warns of a leak past 10 on one signal).
 */
export class Pauses {
	private readonly stopped?: Promise<never>;

	constructor(signal?: AbortSignal) {
		if (!signal) return;
		this.stopped = new Promise<never>((_, reject) => {
			if (signal.aborted) reject(abortReason(signal));
			else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
		});
		// Only the waits care; an abort while nobody waits is not an unhandled rejection.
		this.stopped.catch(noop);
	}

	/** Resolves after `ms`; rejects as soon as the execution is stopped. */
	async pause(ms: number): Promise<void> {
		await (this.stopped ? Promise.race([sleep(ms), this.stopped]) : sleep(ms));
	}
}

export function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new Error('Execution cancelled');
}

export function noop() {}
