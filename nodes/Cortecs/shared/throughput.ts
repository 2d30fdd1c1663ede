import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	NodeApiError,
	PreSendAction,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { throughputOptions } from '../descriptions/throughput';
import { deliver } from './delivery';
import { fieldError, readNumber, type Failure } from './fieldChecks';
import { sendWithFiles } from './files';
import { failItem, noteFailure, notSentAfterFailure, type FailureState } from './failedItems';
import { optionOf } from './labels';
import { Limiter } from './limiter';
import { toCortecsError } from './networkErrors';
import { Pauses } from './pauses';
import { perRun } from './runCache';
import { baseUrlOf } from './baseUrl';

interface ThroughputSettings {
	maxConcurrency: number;
	maxRetries: number;
	timeoutMs: number;
}

/**
 * Throughput, read once per node run (from the first item that gets here): the cap is one number for
 * the whole run, and reading parameters per item costs n8n an evaluation each time. An option not set
 * counts as its default in the description.
 */
function throughputSettings(ctx: IExecuteSingleFunctions): {
	settings: ThroughputSettings;
	invalid?: Failure;
} {
	const set = (ctx.getNodeParameter(throughputOptions.name, {}) ?? {}) as IDataObject;
	let invalid: Failure | undefined;
	const read = (name: string): number => {
		if (!(name in set)) return optionOf(throughputOptions, name)!.default as number;
		const value = readNumber(throughputOptions, name, set[name]);
		if (typeof value === 'number') return value;
		invalid ??= {
			...value,
			fix: `${value.fix} Throughput is read once per run: check what an expression gives for the first item.`,
		};
		return optionOf(throughputOptions, name)!.default as number;
	};
	// n8n's own Request Options → Timeout (ms, added to every declarative node) counts when this node's
	// Timeout is not set; RoutingNode would otherwise send its 5-minute default.
	const n8nTimeoutMs = Number(ctx.getNodeParameter('requestOptions.timeout', 0));
	const timeoutMs =
		!('timeout' in set) && Number.isFinite(n8nTimeoutMs) && n8nTimeoutMs > 0
			? n8nTimeoutMs
			: read('timeout') * 1000;
	const settings = {
		maxConcurrency: read('maxConcurrency'),
		maxRetries: read('maxRetries'),
		timeoutMs,
	};
	return { settings, invalid };
}

/** Everything the items of one node run share. */
interface Run extends FailureState {
	settings: ThroughputSettings;
	/** Set when a Throughput option is not accepted: then no item of the run is sent. */
	invalid?: Failure;
	limiter: Limiter;
	/**
	 * Items prepared but not yet sending: two windows' worth, so sending never waits for a preparation.
	 * Sized by Max Concurrent Requests, like the limiter.
	 */
	ahead: Limiter;
	/** The credential's Base URL, read once per run; undefined leaves requestDefaults' baseURL. */
	baseURL: Promise<string | undefined>;
	/** Backoff waits, cut short when the execution is stopped. */
	pauses: Pauses;
}

async function credentialBaseUrl(ctx: IExecuteSingleFunctions): Promise<string | undefined> {
	try {
		return baseUrlOf((await ctx.getCredentials('cortecsApi')) as IDataObject);
	} catch {
		return undefined;
	}
}

const RUN = Symbol('throughput');

function runOf(ctx: IExecuteSingleFunctions): Run {
	return perRun(ctx, RUN, () => {
		const { settings, invalid } = throughputSettings(ctx);
		return {
			settings,
			invalid,
			limiter: new Limiter(settings.maxConcurrency),
			ahead: new Limiter(settings.maxConcurrency * 2),
			baseURL: credentialBaseUrl(ctx),
			pauses: new Pauses(ctx.getExecutionCancelSignal()),
		};
	});
}

/**
 * This item's error when a Throughput option is not accepted: the run's requests cannot be sent as the
 * user set them, so none is.
 */
function throughputError(ctx: IExecuteSingleFunctions, run: Run): NodeOperationError | undefined {
	return run.invalid && fieldError(ctx, run.invalid);
}

/** Throws for bad Throughput options, as a check of an item's input (Embedding → Create). */
export function checkThroughput(ctx: IExecuteSingleFunctions): void {
	const error = throughputError(ctx, runOf(ctx));
	if (error) throw error;
}

/** Answers that say "too much": the run's limiter sends fewer requests at a time after one. */
const OVERLOAD = new Set([429, 503]);

/**
 * The pagination hook every operation sends through (n8n calls it instead of sending when `paginate`
 * is set; throughputRouting wires it). It adds what RoutingNode lacks: a cap on requests in flight for
 * this node run, per-item retries that honour Retry-After, a per-request timeout, and cancellation.
 *
 * `prepare` builds and checks the request (it may throw a NodeOperationError for bad input). It runs
 * here when the item's turn comes, not as `routing.send.preSend`: RoutingNode runs preSends for every
 * item before the first request can leave; here the preparation of item k overlaps the requests of the
 * items before it, so a run of 1,000 items starts sending that much sooner.
 */
export function throughputPagination(prepare: PreSendAction[] = []) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		return await deliverItem(this, requestData, prepare);
	};
}

async function deliverItem(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	prepare: PreSendAction[],
): Promise<INodeExecutionData[]> {
	const run = runOf(ctx);
	const invalid = throughputError(ctx, run);
	if (invalid) return await failItem(ctx, invalid, run);
	const signal = ctx.getExecutionCancelSignal();
	// Set here once per run instead of by an expression in requestDefaults, which n8n evaluates per item
	// before the first request can leave.
	const base = await run.baseURL;
	if (base) requestData.options.baseURL = base;
	if (!prepare.length) return await send(ctx, requestData, run, signal);

	// Prepare the request while the items before it are in flight: at most one window of items ahead
	// of those sending, and after the requests just let go have left (so never in their way).
	let releaseAhead: (() => void) | undefined;
	try {
		try {
			releaseAhead = await run.ahead.acquire(signal);
			await run.pauses.pause(0);
			for (const action of prepare) {
				requestData.options = (await action.call(
					ctx,
					requestData.options as IHttpRequestOptions,
				)) as typeof requestData.options;
			}
		} catch (error) {
			if (signal?.aborted) return await failItem(ctx, toCortecsError(ctx, error, true), run);
			// Bad input, or a preparation that throws: the item fails, never sent.
			const bad =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), error as Error, {
							itemIndex: ctx.getItemIndex(),
						});
			return await failItem(ctx, bad, run);
		}
		// Prepared items count against "ahead" until they get a slot, not while they wait for a retry.
		return await send(ctx, requestData, run, signal, releaseAhead);
	} finally {
		releaseAhead?.();
	}
}

/** What one request came to after its retries: the items of its answer, or the error that ends it. */
export type Outcome =
	{ items: INodeExecutionData[] } | { error: NodeApiError | NodeOperationError };

/** Sends one item: its request through sendWithRetries, then its items or its failure. */
async function send(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	run: Run,
	signal: AbortSignal | undefined,
	onSlot?: () => void,
): Promise<INodeExecutionData[]> {
	const outcome = await sendWithRetries(ctx, requestData, run, signal, onSlot);
	return 'items' in outcome ? outcome.items : await failItem(ctx, outcome.error, run);
}

/**
 * Sends a request that carries several items (Embedding → Create batches) through the same loop as one
 * item: `ctx` is the item that stands for them (the first); the caller gives each item its share of the
 * outcome, and its failure with failItem and failuresOf.
 */
export async function sendThroughput(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<Outcome> {
	const run = runOf(ctx);
	const base = await run.baseURL;
	if (base) requestData.options.baseURL = base;
	return await sendWithRetries(ctx, requestData, run, ctx.getExecutionCancelSignal());
}

/** The failures of this node run, shared by every item (see failItem, notSentAfterFailure). */
export function failuresOf(ctx: IExecuteSingleFunctions): FailureState {
	return runOf(ctx);
}

/** One request through the delivery loop (delivery.ts): a limiter slot per attempt. */
async function sendWithRetries(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	run: Run,
	signal: AbortSignal | undefined,
	onSlot?: () => void,
): Promise<Outcome> {
	const { settings, limiter, pauses } = run;
	requestData.options.timeout = settings.timeoutMs;
	try {
		const items = await deliver({
			context: ctx,
			maxRetries: settings.maxRetries,
			signal,
			pauses,
			turn: async (attempt) => {
				// Retries go to the front of the queue: their items have waited longest.
				const release = await limiter.acquire(signal, attempt > 0);
				onSlot?.();
				// The node may have failed while this item waited for its slot or its retry.
				const notSent = notSentAfterFailure(ctx, run);
				return notSent ? { release, notSent } : { release };
			},
			send: async () => {
				// The item's files are read and encoded for this attempt only (files.ts).
				const items = await sendWithFiles.call(
					ctx,
					requestData.options as IHttpRequestOptions,
					async () => await ctx.makeRoutingRequest(requestData),
				);
				limiter.succeeded();
				return items;
			},
			onFailure: (failure) => {
				if (failure.status !== undefined && OVERLOAD.has(failure.status)) {
					limiter.overloaded(failure.retryAfterMs);
				}
			},
			// Before the caller's await: the items waiting for the slot just freed check it first.
			onGiveUp: () => noteFailure(ctx, run),
		});
		return { items };
	} catch (error) {
		return { error: error as NodeApiError | NodeOperationError };
	}
}
