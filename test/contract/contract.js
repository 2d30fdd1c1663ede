'use strict';

/**
 * Runs the contract checks against one target and returns the report (it prints nothing: run.js does).
 * Target "api": a real Cortecs (or a proxy of it) with a key. Target "server": the bundled test server,
 * which the caller started and passes in (`server`, for the server-only checks).
 */
const { Client, ReachError, CapReached, DEFAULT_CAP_EUR } = require('./client');
const { CHECKS } = require('./checks');
const { differences, describeExpected } = require('./match');
const pkg = require('./package-code');

const INVALID_KEY = 'contract-check-invalid-key-0000000000';
const MICRO_EUR_PER_EUR = 1_000_000;

/** A setup failure that stops the run before any check: printed as it is, without a stack. */
class SetupError extends Error {}

/** @param {any} m */
const priced = (m) =>
	typeof m?.pricing?.input_token === 'number' && typeof m?.pricing?.output_token === 'number';
/** @param {any} m */
const price = (m) => m.pricing.input_token + m.pricing.output_token;
/** @param {any} m @param {string} f */
const has = (m, f) => Array.isArray(m?.supported_features) && m.supported_features.includes(f);

/**
 * The cheapest model that fits: priced, text out, and (for a few output tokens to be enough) not a
 * reasoning model unless nothing else has the feature.
 * @param {any[]} models
 * @param {string} [feature]
 */
function cheapest(models, feature) {
	const fits = models.filter(
		(m) =>
			priced(m) &&
			(!Array.isArray(m.output_modalities) || m.output_modalities.includes('text')) &&
			(!feature || has(m, feature)),
	);
	fits.sort(
		(a, b) =>
			Number(has(a, 'reasoning')) - Number(has(b, 'reasoning')) ||
			price(a) - price(b) ||
			a.id.localeCompare(b.id),
	);
	return fits[0];
}

/** Two tags other than the default that several models share, so a repeated-tag query returns something. */
function tagPair(models) {
	const counts = new Map();
	for (const m of models) {
		const tags = (Array.isArray(m.tags) ? m.tags : []).filter((t) => t !== 'Instruct').sort();
		for (let i = 0; i < tags.length; i++) {
			for (let j = i + 1; j < tags.length; j++) {
				const key = `${tags[i]}\u0000${tags[j]}`;
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
		}
	}
	const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
	return best ? best[0].split('\u0000') : ['Instruct', 'Tools'];
}

/**
 * Tokens an image or a one-page PDF may count at most: providers count an image by its tiles (a small one
 * is one tile: Mistral about 16 tokens for 64 × 64 pixels, OpenAI 85 + 170 per tile) and a PDF by its text
 * (and, for some, a picture of each page).
 */
const FILE_TOKENS_AT_MOST = 2000;

/**
 * Tokens a request's prompt may count at most: about 4 characters a token in English, so 2 is generous;
 * a file counts FILE_TOKENS_AT_MOST instead of its base64.
 */
function promptTokensAtMost(body) {
	const { model, max_tokens, stream, stream_options, ...rest } = body;
	let files = 0;
	const text = JSON.stringify(rest, (key, value) => {
		if (value?.type !== 'image_url' && value?.type !== 'file') return value;
		files++;
		return null;
	});
	return Math.ceil(text.length / 2) + 16 + files * FILE_TOKENS_AT_MOST;
}

/** What an answer says it cost, in micro-EUR: usage.cost of the body or of the stream's usage chunk. */
function reportedCost(answer) {
	let usage = answer.json?.usage;
	if (!usage && /^\s*data:/.test(answer.text)) {
		try {
			usage = pkg.assembleStream(answer.text).usage;
		} catch {
			usage = undefined;
		}
	}
	return Number.isInteger(usage?.cost) ? usage.cost : undefined;
}

/** Removes the key wherever an answer might have echoed it. */
function redact(value, secrets) {
	if (typeof value === 'string')
		return secrets.reduce(
			(s, k) => (k && k.length >= 8 ? s.split(k).join('[redacted]') : s),
			value,
		);
	if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, secrets)]));
	return value;
}

/**
 * @param {object} o
 * @param {'api'|'server'} o.target
 * @param {string} o.baseUrl
 * @param {string} o.apiKey
 * @param {{configure(settings: object): void}} [o.server] the bundled server, for server-only checks
 * @param {number} [o.capEur]
 * @param {number} [o.timeoutMs]
 * @param {string[]} [o.only] check ids to run (default all)
 * @param {(check: object) => void} [o.onResult]
 */
async function runContract({
	target,
	baseUrl,
	apiKey,
	server,
	capEur = DEFAULT_CAP_EUR,
	timeoutMs = 60_000,
	only,
	onResult,
}) {
	const started = Date.now();
	const client = new Client({
		baseUrl: baseUrl.replace(/\/+$/, ''),
		apiKey,
		invalidKey: INVALID_KEY,
		capMicroEur: Math.round(capEur * MICRO_EUR_PER_EUR),
		timeoutMs,
	});
	const report = {
		target,
		baseUrl: client.baseUrl,
		startedAt: new Date(started).toISOString(),
		capMicroEur: client.capMicroEur,
		models: {},
		checks: /** @type {any[]} */ ([]),
		error: /** @type {string|null} */ (null),
	};
	const finish = () => {
		Object.assign(report, {
			spentMicroEur: client.spentMicroEur,
			spentEur: client.spentMicroEur / MICRO_EUR_PER_EUR,
			requests: client.sent,
			durationMs: Date.now() - started,
			passed: report.checks.filter((c) => c.result === 'pass').length,
			failed: report.checks.filter((c) => c.result === 'fail').length,
			skipped: report.checks.filter((c) => c.result === 'skip').length,
		});
		return redact(report, [apiKey]);
	};

	let ctx;
	try {
		ctx = await setup(client, target, server, report);
	} catch (error) {
		if (!(error instanceof SetupError || error instanceof ReachError)) throw error;
		report.error = error.message;
		return finish();
	}

	for (const check of CHECKS) {
		if (only && !only.includes(check.id)) continue;
		const entry = {
			id: check.id,
			title: check.title,
			relies: check.relies,
			billable: Boolean(check.billable),
		};
		const skipReason =
			(check.serverOnly && target !== 'server' ? `server-only: ${check.serverOnly}` : undefined) ??
			check.skip?.(ctx) ??
			(check.billable && ctx.keyRejected ? `not sent: ${ctx.keyRejected}` : undefined);
		let result;
		if (skipReason) {
			result = { ...entry, result: 'skip', note: skipReason };
		} else {
			const spentBefore = client.spentMicroEur;
			try {
				const { expected, seen } = await check.run(ctx);
				const diffs = differences(expected, seen);
				result = {
					...entry,
					result: diffs.length ? 'fail' : 'pass',
					expected: describeExpected(expected),
					seen,
					differences: diffs,
				};
			} catch (error) {
				if (error instanceof CapReached) result = { ...entry, result: 'skip', note: error.message };
				else if (error instanceof ReachError || error instanceof SetupError) {
					result = {
						...entry,
						result: 'fail',
						note: error.message,
						differences: [{ path: '.', expected: 'an answer', seen: error.message }],
					};
				} else throw error;
			}
			result.costMicroEur = client.spentMicroEur - spentBefore;
		}
		report.checks.push(result);
		onResult?.(redact(result, [apiKey]));
	}
	if (ctx.keyRejected) report.error = ctx.keyRejected;
	return finish();
}

/**
 * Reads the catalogue (which also tells whether the target is a Cortecs API at all), picks the models, and
 * checks the key before anything billable is sent.
 */
async function setup(client, target, server, report) {
	const defaultAnswer = await client.free('GET', '/models');
	const data = defaultAnswer.json?.data;
	if (defaultAnswer.status !== 200 || !Array.isArray(data)) {
		const type = defaultAnswer.headers['content-type'] ?? 'no content type';
		throw new SetupError(
			`GET ${client.baseUrl}/models answered ${defaultAnswer.status} (${type}), not the Cortecs model catalogue: ` +
				'CORTECS_BASE_URL must be the API itself, ending in /v1 (default https://api.cortecs.ai/v1).',
		);
	}
	const tools = await client.free('GET', '/models', { query: [['tag', 'Tools']] });
	const byId = new Map();
	for (const m of [...data, ...(Array.isArray(tools.json?.data) ? tools.json.data : [])])
		if (m?.id && !byId.has(m.id)) byId.set(m.id, m);
	const catalogue = [...byId.values()];
	const pick = (feature) => {
		const model = cheapest(catalogue, feature);
		if (!model)
			throw new SetupError(
				`The catalogue has no priced text model${feature ? ` with "${feature}"` : ''}: no check can be sent cheaply.`,
			);
		return model;
	};
	const models = {
		defaultAnswer: Promise.resolve(defaultAnswer),
		chat: pick(),
		tools: pick('tools'),
		json: pick('json_mode'),
		// for an image the model cannot read (undefined: every listed model reads images)
		textOnly: cheapest(
			catalogue.filter(
				(m) => Array.isArray(m.input_modalities) && !m.input_modalities.includes('image'),
			),
		),
		tagPair: tagPair(data),
	};
	let embeddingModel;
	models.embedding = async () => {
		if (embeddingModel) return embeddingModel;
		const answer = await client.free('GET', '/models', { query: [['tag', 'Embedding']] });
		const list = (Array.isArray(answer.json?.data) ? answer.json.data : []).filter((m) =>
			priced(m),
		);
		list.sort((a, b) => price(a) - price(b) || a.id.localeCompare(b.id));
		if (!list[0]) throw new SetupError('GET /models?tag=Embedding lists no priced model.');
		embeddingModel = list[0];
		report.models.embedding = embeddingModel.id;
		return embeddingModel;
	};
	/** @type {Map<string, any>} */
	const taggedModels = new Map();
	/**
	 * The cheapest priced model of `GET /models?tag=<tag>`, a chat (Instruct) model when there is one.
	 * @param {string} tag
	 */
	models.tagged = async (tag) => {
		if (taggedModels.has(tag)) return taggedModels.get(tag);
		const answer = await client.free('GET', '/models', { query: [['tag', tag]] });
		const list = Array.isArray(answer.json?.data) ? answer.json.data : [];
		for (const m of list) if (m?.id && !byId.has(m.id)) byId.set(m.id, m);
		const chat = list.filter((m) => Array.isArray(m?.tags) && m.tags.includes('Instruct'));
		const model = cheapest(chat.length ? chat : list);
		if (!model) throw new SetupError(`GET /models?tag=${tag} lists no priced text model.`);
		taggedModels.set(tag, model);
		report.models[tag.toLowerCase()] = model.id;
		return model;
	};
	report.models = { chat: models.chat.id, tools: models.tools.id, json_schema: models.json.id };

	/**
	 * The credential's own test, judged as n8n judges it: its request (with ignoreHttpStatusErrors every
	 * answer reaches the rules), authenticated by its own `authenticate`, then its `responseSuccessBody`
	 * rules in order: the first whose key has exactly its value fails the test with its message.
	 */
	const credentialTest = async (apiKey, baseUrl = client.baseUrl) => {
		const { request, rules } = pkg.credential.test;
		const options = await pkg.credential.authenticate(
			{ apiKey, baseUrl },
			{ method: request.method, url: request.url, headers: {} },
		);
		const url = `${baseUrl}${request.url}`;
		const path = url.startsWith(client.baseUrl) ? url.slice(client.baseUrl.length) : url;
		let answer;
		try {
			answer = await client.free(request.method ?? 'GET', path, { headers: options.headers });
		} catch (error) {
			if (!(error instanceof ReachError)) throw error;
			return { result: { status: 'Error', message: error.message }, status: null, body: null };
		}
		const body = answer.json ?? answer.text.slice(0, 200);
		const failed = (rules ?? []).find(
			(rule) =>
				rule.type === 'responseSuccessBody' &&
				body !== null &&
				typeof body === 'object' &&
				body[rule.properties.key] === rule.properties.value,
		);
		const result = failed
			? { status: 'Error', message: failed.properties.message }
			: { status: 'OK', message: 'Connection successful' };
		return { result, status: answer.status, body };
	};

	// Nothing billable goes out with a key the API rejects.
	const keyCheck = await client.free('GET', '/manage/api-keys', { key: 'valid' });
	const keyRejected =
		keyCheck.status === 401
			? `the API key was rejected (GET /manage/api-keys answered 401): check CORTECS_API_KEY, and the project's prepaid balance`
			: undefined;

	const billable = (path, body, model, maxOut) => {
		const worst =
			Math.ceil(
				promptTokensAtMost(body) * model.pricing.input_token + maxOut * model.pricing.output_token,
			) + 1;
		return client.billable(path, body, worst, reportedCost);
	};
	const ctx = {
		client,
		target,
		server,
		models,
		keyRejected,
		credentialTest,
		chat: (body) => billable('/chat/completions', body, byId.get(body.model), body.max_tokens),
		embed: async (body) => billable('/embeddings', body, await models.embedding(), 0),
	};
	return ctx;
}

module.exports = { runContract };
