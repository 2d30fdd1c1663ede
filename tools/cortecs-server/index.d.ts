// The public types of tools/cortecs-server/index.js (a Cortecs-compatible test server), written only here:
// the modules beside it refer to them with `import('./index').Name`.
import type { IncomingHttpHeaders, Server } from 'node:http';

export declare const VALID_KEY: 'test-key-valid';
export declare const MANAGEMENT_KEY: 'test-key-management';
export declare const EMPTY_BALANCE_KEY: 'test-key-empty-balance';
/** Providers dropped by `eu_native: true`. */
export declare const NON_EU_NATIVE_PROVIDERS: ReadonlyArray<string>;

export interface CortecsModelPricing {
	/** EUR (or USD with ?currency=USD) per 1M input tokens; equals micro-EUR per token. */
	input_token: number;
	output_token: number;
	currency: 'EUR' | 'USD';
	cache_read_cost?: number;
}

export interface CortecsModel {
	id: string;
	object: 'model';
	created: number;
	owned_by: string;
	description: string | null;
	pricing: CortecsModelPricing;
	providers: string[];
	context_size: number;
	max_output_tokens: number;
	tags: string[];
	input_modalities: string[];
	output_modalities: string[];
	supported_features: string[];
}

/** The catalogue served by GET /v1/models (deep-frozen, prices in EUR). */
export declare const MODELS: ReadonlyArray<Readonly<CortecsModel>>;

export interface CortecsServerKeys {
	/** Ordinary keys: chat works, /manage/api-keys answers 403. Default [VALID_KEY]. */
	valid?: string[];
	/** Management keys: chat works, /manage/api-keys answers 200. Default [MANAGEMENT_KEY]. */
	management?: string[];
	/** Keys with an empty prepaid balance: chat answers 401, /manage/api-keys 403. Default [EMPTY_BALANCE_KEY]. */
	emptyBalance?: string[];
}

export interface CortecsServerSettings {
	/** Delay before every /chat/completions and /embeddings answer except capacity 429s. Default 0. */
	latencyMs?: number;
	/**
	 * 0: every answer waits latencyMs. Above 0: answer times drawn from a log-normal distribution with median
	 * latencyMs and this sigma (of the log), the same sequence after every reset(). Default 0.
	 */
	latencySigma?: number;
	/** Pause between the SSE frames of a streamed answer (after the latency), so clients see chunks arrive apart. Default 0. */
	streamGapMs?: number;
	/** Max model requests (chat and embeddings) in flight; above it -> 429. Default Infinity (null also means Infinity). */
	capacity?: number | null;
	/** Retry-After header value on capacity 429s (seconds or HTTP date); null omits it. Default '1'. */
	retryAfter?: string | number | null;
	/** Whether usage.cost / usage.cost_details are present. Default true. */
	includeCost?: boolean;
	/** No console output. Default true (the CLI defaults to false). */
	quiet?: boolean;
	/** Keep the request log (server.requests). Default true; false keeps only stats. */
	logRequests?: boolean;
	/**
	 * How chat answers are written. 'echo' (default): `Echo: <last user message>`, schema fields filled
	 * with it, tool calls with `{input: <it>}`, so tests can assert them exactly. 'demo' (`npm start`):
	 * answers that show the request's purpose: first-clause summaries, schema fields filled from the text,
	 * tool arguments from the quoted text, a final answer built from the tool's result.
	 */
	style?: 'echo' | 'demo';
	/** Most inputs one POST /v1/embeddings takes; above it -> 413. Default 2048 (null: the default). */
	maxEmbeddingInputs?: number | null;
	/** Embeddings answers list `data` in reverse order (clients must match vectors by `index`). Default false. */
	shuffleEmbeddings?: boolean;
	/** Embeddings answers leave out the last vector. Default false. */
	dropEmbedding?: boolean;
}

export interface CortecsServerOptions extends CortecsServerSettings {
	/** 0 (default) picks a free port. The host is always 127.0.0.1. */
	port?: number;
	keys?: CortecsServerKeys;
}

export interface RequestLogEntry {
	method: string;
	/** Path without query, e.g. '/v1/chat/completions'. */
	path: string;
	/** Query parameters; a repeated key becomes an array. */
	query: Record<string, string | string[]>;
	/** Lower-cased request headers. */
	headers: IncomingHttpHeaders;
	/** Parsed JSON when the body is JSON, else the raw string; undefined when there is no body. */
	body: unknown;
	/** Status sent; null while unanswered (e.g. the `hang` fault). */
	status: number | null;
	/** Arrival time, ms since epoch. */
	at: number;
}

/** Counters for the model requests: POST /v1/chat/completions and POST /v1/embeddings. */
export interface CortecsServerStats {
	inFlight: number;
	maxInFlight: number;
	/** Model requests received, including rejected ones. */
	total: number;
	/** Capacity rejections (429 fault markers are counted in countByStatus only). */
	count429: number;
	countByStatus: Record<string, number>;
}

export interface CortecsServer {
	/** Base URL without trailing slash, e.g. 'http://127.0.0.1:12345/v1'. */
	url: string;
	port: number;
	/** Live request log (emptied in place by reset()). */
	requests: RequestLogEntry[];
	/** Live stats object. */
	stats: CortecsServerStats;
	chatRequests(): RequestLogEntry[];
	embeddingRequests(): RequestLogEntry[];
	configure(settings: CortecsServerSettings): void;
	/** Clears the log, stats, fault attempt counters and id counters; keeps settings. */
	reset(): void;
	/** Closes the server and destroys open sockets (including hung requests). */
	close(): Promise<void>;
	/** The underlying Node server. */
	httpServer: Server;
}

export declare function startCortecsServer(options?: CortecsServerOptions): Promise<CortecsServer>;
