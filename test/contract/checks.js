'use strict';

/**
 * The contract: each check is one assumption the package makes about the Cortecs API, with where the code
 * relies on it. A check returns `expected` (plain values must be equal, matchers from ./match must accept)
 * and `seen`, the facts read from the answer; `seen` may hold more than is expected, for the report.
 *
 * Checks marked `billable` send requests that cost money and go through the spending cap; all others are
 * free (the catalogue, key checks, requests the API rejects).
 */
const { is, matcher } = require('./match');
const pkg = require('./package-code');
const { png, exampleFiles, INVOICE } = require('../../tools/example-files');

const PROMPT = [{ role: 'user', content: 'Reply with the single word OK.' }];

const WEATHER_TOOL = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'The current weather in a city',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
};

const WEATHER_QUESTION = [{ role: 'user', content: 'What is the weather in Paris?' }];

/** What n8n's Agent sends back after running a tool: the assistant's call, then the tool's result. */
const TOOL_ROUND_TRIP = [
	{ role: 'user', content: 'What is the weather in Paris? Answer in three words.' },
	{
		role: 'assistant',
		content: null,
		tool_calls: [
			{
				id: 'call_contract_1',
				type: 'function',
				function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
			},
		],
	},
	{ role: 'tool', tool_call_id: 'call_contract_1', content: '{"temperature_c":18,"sky":"clear"}' },
];

/** Plain text of about 1,000 tokens (100 sentences of about 10). */
const LONG_TEXT = `${'The quick brown fox jumps over the lazy dog near the river bank. '.repeat(100)}Reply with OK.`;

const INVALID_KEY_MESSAGE = /invalid/i;

/** Which of the error body shapes the notes list an answer has (errors.ts apiMessage reads all four). */
function errorShape(json, text) {
	if (json === undefined) return text.trim() ? 'not JSON' : 'empty';
	if (typeof json?.error === 'string') return '{error: string}';
	if (typeof json?.error?.message === 'string') return '{error: {message}}';
	if (json?.detail !== undefined) return '{detail}';
	if (typeof json?.message === 'string') return '{message}';
	return 'other';
}

/** The kind of advice errors.ts hintFor gives for a 404 with this message (and these Routing options). */
function hintKind(message, routerOptions = {}) {
	const hint = pkg.hintFor(404, message ?? '', routerOptions);
	if (hint.startsWith('The model id is unknown')) return 'unknown model';
	if (/^No provider/.test(hint)) return 'no provider';
	if (/^Nothing answers/.test(hint)) return 'wrong Base URL';
	return 'other';
}

/** Ids of the items for which `test` fails (the first five, then a count). */
function offenders(items, test) {
	const bad = items.filter((m) => !test(m)).map((m) => String(m?.id ?? '?'));
	return bad.length > 5 ? [...bad.slice(0, 5), `…and ${bad.length - 5} more`] : bad;
}

const ids = (answer) =>
	Array.isArray(answer.json?.data) ? answer.json.data.map((m) => m.id).sort() : null;
const sameIds = (a, b) => JSON.stringify(ids(a)) === JSON.stringify(ids(b));

/**
 * Reads an SSE body line by line: the JSON events, whether it ended in [DONE], and anything malformed.
 * @param {string} text
 */
function readSse(text) {
	const events = [];
	const bad = [];
	let done = false;
	let afterDone = 0;
	for (const line of text.split(/\r?\n/)) {
		if (!line.startsWith('data:')) continue;
		const data = line.slice(5).trim();
		if (done) {
			afterDone++;
			continue;
		}
		if (data === '[DONE]') {
			done = true;
			continue;
		}
		try {
			events.push(JSON.parse(data));
		} catch {
			bad.push(data.slice(0, 80));
		}
	}
	return { events, bad, done, afterDone };
}

/** The facts of a streamed completion that the node's stream assembly (sse.ts) relies on. */
function streamFacts(answer) {
	const sse = readSse(answer.text);
	const usageAt = sse.events.findIndex((e) => e && typeof e.usage === 'object' && e.usage !== null);
	let assembled;
	let assembleError = null;
	try {
		assembled = pkg.assembleStream(answer.text);
	} catch (error) {
		assembleError = String(/** @type {Error} */ (error).message);
	}
	return {
		status: answer.status,
		contentType: (answer.headers['content-type'] ?? '').split(';')[0].trim(),
		provider: answer.headers['x-cortecs-provider'],
		model: answer.headers['x-cortecs-model'],
		events: sse.events.length,
		malformedEvents: sse.bad,
		notChunks: sse.events.filter((e) => e?.object !== 'chat.completion.chunk').length,
		endsWithDone: sse.done && sse.afterDone === 0,
		usageChunk:
			usageAt === -1
				? null
				: {
						last: usageAt === sse.events.length - 1,
						cost: sse.events[usageAt].usage.cost,
						prompt_tokens: sse.events[usageAt].usage.prompt_tokens,
					},
		assembleError,
		assembled,
	};
}

const STREAM_EXPECTED = {
	status: 200,
	contentType: 'text/event-stream',
	provider: is.nonEmptyString,
	model: is.nonEmptyString,
	events: is.positiveInteger,
	malformedEvents: [],
	notChunks: 0,
	endsWithDone: true,
	usageChunk: { last: true, cost: is.nonNegativeInteger, prompt_tokens: is.positiveInteger },
	assembleError: null,
};

/** The API's own message in an answer, as errors.ts apiMessage reads it. */
const apiMessageOf = (answer) => pkg.apiMessage(answer.json ?? answer.text);

/** For the report: the API's message when the answer is not a success. */
const messageUnlessOk = (answer) =>
	answer.status === 200 ? {} : { message: apiMessageOf(answer) };

/** The facts of an error answer: its status, which body shape it has, and its message. */
const errorFacts = (answer) => ({
	status: answer.status,
	shape: errorShape(answer.json, answer.text),
	message: apiMessageOf(answer),
});

/** A chat request to the tools model that offers WEATHER_TOOL. */
function chatWithWeatherTool(ctx, { messages, max_tokens, tool_choice, ...extra }) {
	return ctx.chat({
		model: ctx.models.tools.id,
		messages,
		max_tokens,
		...extra,
		tools: [WEATHER_TOOL],
		tool_choice,
	});
}

/** A completion (not streamed) with WEATHER_TOOL offered: its first choice, and the facts every check shows. */
async function toolAnswer(ctx, request) {
	const answer = await chatWithWeatherTool(ctx, request);
	const seen = { model: ctx.models.tools.id, status: answer.status };
	return { answer, choice: answer.json?.choices?.[0] ?? {}, seen };
}

/** The call a model makes to WEATHER_TOOL when it is required to. */
const WEATHER_CALL = {
	id: is.nonEmptyString,
	type: 'function',
	name: 'get_weather',
	argumentsAreJson: true,
};

/**
 * The credential's test (CortecsApi.credentials.ts) with one of the run's keys, against the Base URL or the
 * one `baseUrl` makes of it: the answer and what n8n's tester makes of it.
 */
function credentialCheck(id, title, relies, { key, baseUrl, skip, expected }) {
	return {
		id,
		title,
		relies,
		skip,
		async run(ctx) {
			const { result, status, body } = await ctx.credentialTest(
				ctx.client.keys[key],
				baseUrl?.(ctx),
			);
			return { expected, seen: { httpStatus: status, body, result } };
		},
	};
}

/** A streamed completion of PROMPT (with `extra` in the request) that sse.ts can assemble. */
function streamCheck(id, title, relies, extra = {}) {
	return {
		id,
		title,
		relies,
		billable: true,
		async run(ctx) {
			const answer = await ctx.chat({
				model: ctx.models.chat.id,
				messages: PROMPT,
				max_tokens: 5,
				stream: true,
				...extra,
			});
			const { assembled, ...seen } = streamFacts(answer);
			return {
				expected: { ...STREAM_EXPECTED, content: is.string },
				seen: { ...seen, content: assembled?.choices?.[0]?.message?.content },
			};
		},
	};
}

/** @param {string} field @param {(ctx: any) => unknown} value */
function routerCheck(field, value, why) {
	return {
		id: `router.${field}`,
		title: `${field} accepted`,
		relies: `complete.operation.ts sends ${field} when Routing sets it (${why})`,
		billable: true,
		async run(ctx) {
			const model = ctx.models.chat;
			const answer = await ctx.chat({
				model: model.id,
				messages: PROMPT,
				max_tokens: 1,
				[field]: value(ctx),
			});
			return {
				expected: { status: 200, provider: is.nonEmptyString },
				seen: {
					status: answer.status,
					provider: answer.headers['x-cortecs-provider'],
					...messageUnlessOk(answer),
				},
			};
		},
	};
}

/** A check that GET /models with `key` answers the same catalogue as without a key. */
function sameCatalogue(id, title, relies, key) {
	return {
		id,
		title,
		relies,
		async run(ctx) {
			const answer = await ctx.client.free('GET', '/models', { key });
			return {
				expected: { status: 200, sameModels: true },
				seen: {
					status: answer.status,
					sameModels: sameIds(answer, await ctx.models.defaultAnswer),
				},
			};
		},
	};
}

const dataUrl = (mime, bytes) => `data:${mime};base64,${bytes.toString('base64')}`;

/** A 64 × 64 grey PNG: one tile for every provider, so the image costs a few tokens. */
const GREY_SQUARE = png(64, 64, () => 128);

/**
 * A check that sends `content` (text and a file) as the user message to the cheapest model tagged `tag`,
 * as the node sends files: the answer must be a completion with some text; what it says and what the file
 * cost (usage) go to the report.
 */
function fileCheck(id, title, relies, tag, content) {
	return {
		id,
		title,
		relies,
		billable: true,
		async run(ctx) {
			const model = await ctx.models.tagged(tag);
			const answer = await ctx.chat({
				model: model.id,
				messages: [{ role: 'user', content }],
				max_tokens: 10,
			});
			const choice = answer.json?.choices?.[0] ?? {};
			return {
				expected: { status: 200, content: is.nonEmptyString },
				seen: {
					model: model.id,
					input_modalities: model.input_modalities,
					status: answer.status,
					content: choice.message?.content,
					prompt_tokens: answer.json?.usage?.prompt_tokens,
					message: answer.status === 200 ? undefined : pkg.apiMessage(answer.json ?? answer.text),
				},
			};
		},
	};
}

/** @type {Array<{id: string, title: string, relies: string, billable?: boolean, serverOnly?: string, skip?: (ctx: any) => string|undefined, run: (ctx: any) => Promise<{expected: unknown, seen: any}>}>} */
const CHECKS = [
	{
		id: 'models.no-key',
		title: 'GET /models without a key: the catalogue',
		relies:
			'catalogue.ts fetchModels sends no key; searchModels.ts and cost.ts read pricing, tags, features',
		async run(ctx) {
			const answer = await ctx.models.defaultAnswer;
			const data = Array.isArray(answer.json?.data) ? answer.json.data : [];
			return {
				expected: {
					status: 200,
					object: 'list',
					models: is.positiveInteger,
					without: {
						id: [],
						pricing: [],
						'pricing in EUR': [],
						tags: [],
						supported_features: [],
						context_size: [],
					},
				},
				seen: {
					status: answer.status,
					object: answer.json?.object,
					models: data.length,
					without: {
						id: offenders(data, (m) => typeof m?.id === 'string' && m.id !== ''),
						pricing: offenders(
							data,
							(m) =>
								typeof m?.pricing?.input_token === 'number' &&
								typeof m?.pricing?.output_token === 'number',
						),
						'pricing in EUR': offenders(
							data,
							(m) => m?.pricing?.currency === undefined || m.pricing.currency === 'EUR',
						),
						tags: offenders(data, (m) => Array.isArray(m?.tags)),
						supported_features: offenders(data, (m) => Array.isArray(m?.supported_features)),
						context_size: offenders(data, (m) => Number.isInteger(m?.context_size)),
					},
				},
			};
		},
	},
	{
		id: 'models.default-tag',
		title: 'GET /models with no tag = tag=Instruct',
		relies: 'Model → Get Many with no tag chosen says "the API’s default, Instruct models"',
		async run(ctx) {
			const plain = await ctx.models.defaultAnswer;
			const instruct = await ctx.client.free('GET', '/models', { query: [['tag', 'Instruct']] });
			const data = Array.isArray(plain.json?.data) ? plain.json.data : [];
			return {
				expected: { status: 200, sameModels: true, notTaggedInstruct: [] },
				seen: {
					status: instruct.status,
					sameModels: sameIds(plain, instruct),
					notTaggedInstruct: offenders(
						data,
						(m) => Array.isArray(m?.tags) && m.tags.includes('Instruct'),
					),
				},
			};
		},
	},
	{
		id: 'models.repeated-tag',
		title: 'GET /models?tag=A&tag=B: models with every tag',
		relies:
			"Model.resource.ts sends the tags as repeated `tag` (arrayFormat 'repeat'); getAll.operation.ts promises every chosen tag",
		async run(ctx) {
			const [a, b] = ctx.models.tagPair;
			const both = await ctx.client.free('GET', '/models', {
				query: [
					['tag', a],
					['tag', b],
				],
			});
			const onlyA = await ctx.client.free('GET', '/models', { query: [['tag', a]] });
			const onlyB = await ctx.client.free('GET', '/models', { query: [['tag', b]] });
			const inB = new Set(ids(onlyB) ?? []);
			const intersection = (ids(onlyA) ?? []).filter((id) => inB.has(id));
			const data = Array.isArray(both.json?.data) ? both.json.data : [];
			return {
				expected: {
					status: 200,
					models: is.positiveInteger,
					lackingATag: [],
					equalsIntersection: true,
				},
				seen: {
					tags: [a, b],
					status: both.status,
					models: data.length,
					lackingATag: offenders(
						data,
						(m) => Array.isArray(m?.tags) && m.tags.includes(a) && m.tags.includes(b),
					),
					equalsIntersection: JSON.stringify(ids(both)) === JSON.stringify(intersection),
				},
			};
		},
	},
	sameCatalogue(
		'models.with-key',
		'GET /models with the key: same catalogue',
		'the catalogue does not depend on the key (the node never sends it there)',
		'valid',
	),
	sameCatalogue(
		'models.invalid-key',
		'GET /models with an invalid key: not rejected',
		'the credential test uses /manage/api-keys because /models cannot validate a key',
		'invalid',
	),
	credentialCheck(
		'credential.invalid-key',
		'credential test, invalid key: Error',
		"CortecsApi.credentials.ts test: GET /manage/api-keys, rule body.error === 'Invalid API key' → invalid key",
		{
			key: 'invalid',
			expected: {
				httpStatus: 401,
				body: { error: 'Invalid API key' },
				result: { status: 'Error', message: is.matching(INVALID_KEY_MESSAGE) },
			},
		},
	),
	credentialCheck(
		'credential.valid-key',
		'credential test, valid key: OK',
		'CortecsApi.credentials.ts test: 403 (ordinary key) or 200 (management key) match no failure rule',
		{ key: 'valid', expected: { httpStatus: is.oneOf([403, 200]), result: { status: 'OK' } } },
	),
	credentialCheck(
		'credential.no-v1',
		'credential test, Base URL without /v1: Error',
		"CortecsApi.credentials.ts test: rule body.detail === 'Not Found' → the Base URL must end in /v1",
		{
			key: 'valid',
			baseUrl: (ctx) => ctx.client.baseUrl.replace(/\/v1$/, ''),
			skip: (ctx) =>
				/\/v1$/.test(ctx.client.baseUrl) ? undefined : 'the Base URL does not end in /v1',
			expected: {
				httpStatus: 404,
				body: { detail: 'Not Found' },
				result: { status: 'Error', message: is.matching(/Base URL/) },
			},
		},
	),
	{
		id: 'chat.completion',
		title: 'completion: body, headers, usage',
		relies: 'output.ts toChatItems: choices, x-cortecs-provider/-model headers, usage.cost',
		billable: true,
		async run(ctx) {
			const answer = await ctx.chat({ model: ctx.models.chat.id, messages: PROMPT, max_tokens: 5 });
			const body = answer.json ?? {};
			const choice = body.choices?.[0] ?? {};
			const usage = body.usage ?? {};
			return {
				expected: {
					status: 200,
					headers: {
						'x-cortecs-provider': is.nonEmptyString,
						'x-cortecs-model': is.nonEmptyString,
					},
					body: {
						id: is.nonEmptyString,
						object: 'chat.completion',
						created: is.integer,
						model: is.nonEmptyString,
					},
					choice: {
						index: 0,
						role: 'assistant',
						content: is.string,
						finish_reason: is.oneOf(['stop', 'length']),
					},
					usage: {
						prompt_tokens: is.positiveInteger,
						completion_tokens: is.nonNegativeInteger,
						total_tokens: (usage.prompt_tokens ?? NaN) + (usage.completion_tokens ?? NaN),
						cost: is.nonNegativeInteger,
						cost_details: {
							prompt_cost: is.number,
							cache_read_cost: is.number,
							cache_write_cost: is.number,
							completion_cost: is.number,
							prompt_audio_cost: is.number,
						},
					},
				},
				seen: {
					status: answer.status,
					headers: {
						'x-cortecs-provider': answer.headers['x-cortecs-provider'],
						'x-cortecs-model': answer.headers['x-cortecs-model'],
					},
					body: {
						id: body.id,
						object: body.object,
						created: body.created,
						model: body.model,
						provider: body.provider,
					},
					choice: {
						index: choice.index,
						role: choice.message?.role,
						content: choice.message?.content,
						finish_reason: choice.finish_reason,
					},
					usage,
				},
			};
		},
	},
	{
		id: 'chat.cost-unit',
		title: 'usage.cost is micro-EUR (vs catalogue prices)',
		relies:
			'output.ts costOf: cost_eur = usage.cost / 1,000,000 (cost.ts estimates from the same prices when it is missing)',
		billable: true,
		async run(ctx) {
			const model = ctx.models.chat;
			// About 1,000 prompt tokens: enough for the cost to tell micro-EUR from a unit 1,000 times off (a
			// tenth of a cent with the cheapest models), where a short prompt rounds to a few units either way.
			const answer = await ctx.chat({
				model: model.id,
				messages: [{ role: 'user', content: LONG_TEXT }],
				max_tokens: 1,
			});
			const usage = answer.json?.usage ?? {};
			const { pricing } = model;
			// Catalogue prices are EUR per 1M tokens, i.e. micro-EUR per token.
			const estimate =
				(usage.prompt_tokens ?? 0) * pricing.input_token +
				(usage.completion_tokens ?? 0) * pricing.output_token;
			// Wide enough for rounding and a provider's own price; a unit 1,000 times off is far outside.
			const low = Math.max(0, Math.floor(estimate / 4) - 2);
			const high = Math.ceil(estimate * 4) + 2;
			return {
				expected: {
					status: 200,
					cost: matcher(
						`between ${low} and ${high} (catalogue estimate ${estimate.toFixed(1)} µEUR)`,
						(v) => Number.isInteger(v) && v >= low && v <= high,
					),
				},
				seen: {
					status: answer.status,
					cost: usage.cost,
					estimateMicroEur: Number(estimate.toFixed(3)),
					usage,
					pricing,
				},
			};
		},
	},
	streamCheck(
		'chat.stream',
		'stream: chunks, usage chunk, [DONE]',
		'sse.ts assembleStream (Options → Stream) without stream_options: usage from the last chunk',
	),
	{
		id: 'error.unknown-model',
		title: 'unknown model: 404 with a message about the model',
		relies:
			'errors.ts apiMessage + hintFor(404): "model" in the message → "the model id is unknown"',
		async run(ctx) {
			const answer = await ctx.client.free('POST', '/chat/completions', {
				key: 'valid',
				body: { model: 'contract-check-no-such-model', messages: PROMPT, max_tokens: 1 },
			});
			const facts = errorFacts(answer);
			return {
				expected: { status: 404, message: is.nonEmptyString, hint: 'unknown model' },
				seen: { ...facts, hint: hintKind(facts.message) },
			};
		},
	},
	{
		id: 'error.invalid-key',
		title: 'invalid key on chat: 401 with a message',
		relies: 'errors.ts throwOnApiError: the API’s own message + the 401 hint',
		async run(ctx) {
			const answer = await ctx.client.free('POST', '/chat/completions', {
				key: 'invalid',
				body: { model: ctx.models.chat.id, messages: PROMPT, max_tokens: 1 },
			});
			return {
				expected: { status: 401, message: is.nonEmptyString },
				seen: errorFacts(answer),
			};
		},
	},
	{
		id: 'error.no-allowed-provider',
		title: 'allowed_providers that exclude the model: 404 about the provider',
		relies: 'errors.ts hintFor(404): "provider" in the message → relax Routing → Allowed Providers',
		billable: true,
		skip: (ctx) =>
			otherProvider(ctx) ? undefined : 'every known provider serves the cheapest model',
		async run(ctx) {
			const provider = otherProvider(ctx);
			// Billable in case the router ignores the list and answers: one token at most.
			const answer = await ctx.chat({
				model: ctx.models.chat.id,
				messages: PROMPT,
				max_tokens: 1,
				allowed_providers: [provider],
			});
			const facts = errorFacts(answer);
			return {
				expected: { status: 404, message: is.nonEmptyString, hint: 'no provider' },
				seen: {
					allowed_providers: [provider],
					...facts,
					hint: hintKind(facts.message, { allowedProviders: [provider] }),
				},
			};
		},
	},
	routerCheck('preference', () => 'cost', "'cost'"),
	routerCheck(
		'allowed_providers',
		(ctx) => (ctx.models.chat.providers?.length ? ctx.models.chat.providers : pkg.KNOWN_PROVIDERS),
		'every provider of the model, so the list narrows nothing',
	),
	routerCheck('eu_native', () => false, 'false, the default, so it narrows nothing'),
	routerCheck('allow_quantization', () => true, 'true, the default'),
	routerCheck('allow_zero_data_retention', () => false, 'false, the default'),
	routerCheck('enable_model_fallback', () => true, 'true, the default'),
	{
		id: 'chat.json-schema',
		title: 'response_format json_schema: JSON content',
		relies:
			"chatRequest.ts sends {type:'json_schema', json_schema:{name:'response', schema}}; output.ts parses the content",
		billable: true,
		async run(ctx) {
			const model = ctx.models.json;
			const schema = {
				type: 'object',
				properties: { ok: { type: 'boolean' } },
				required: ['ok'],
				additionalProperties: false,
			};
			const answer = await ctx.chat({
				model: model.id,
				messages: [{ role: 'user', content: 'Is the sky blue? Answer as JSON.' }],
				max_tokens: 20,
				response_format: { type: 'json_schema', json_schema: { name: 'response', schema } },
			});
			const choice = answer.json?.choices?.[0] ?? {};
			let parsed;
			try {
				parsed = JSON.parse(
					String(choice.message?.content ?? '').replace(
						/^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/,
						'$1',
					),
				);
			} catch {
				parsed = '(not JSON)';
			}
			return {
				expected: { status: 200, parsed: { ok: is.oneOf([true, false]) } },
				seen: {
					model: model.id,
					status: answer.status,
					content: choice.message?.content,
					finish_reason: choice.finish_reason,
					parsed,
				},
			};
		},
	},
	fileCheck(
		'chat.image',
		'an image (PNG data URL) to an Image model: an answer',
		"files.ts sends images as {type:'image_url', image_url:{url:'data:<mime>;base64,…'}} after the text",
		'Image',
		[
			{ type: 'text', text: 'What colour is this image? Answer with one word.' },
			{ type: 'image_url', image_url: { url: dataUrl('image/png', GREY_SQUARE) } },
		],
	),
	fileCheck(
		'chat.document',
		'a PDF (file part) to a Document model: an answer',
		"files.ts sends PDFs as {type:'file', file:{filename, file_data:'data:application/pdf;base64,…'}}",
		'Document',
		[
			{
				type: 'text',
				text: 'What is the invoice number in this PDF? Answer with the number only.',
			},
			{
				type: 'file',
				file: { filename: INVOICE, file_data: dataUrl('application/pdf', exampleFiles()[INVOICE]) },
			},
		],
	),
	{
		id: 'error.image-to-text-model',
		title: 'an image to a model without image input: 400 or 422 with a message',
		relies:
			'[likely] fileHints.ts: a 400/422 on a request with files names the models that read them',
		billable: true,
		skip: (ctx) => (ctx.models.textOnly ? undefined : 'every model of the catalogue reads images'),
		async run(ctx) {
			const model = ctx.models.textOnly;
			const answer = await ctx.chat({
				model: model.id,
				messages: [
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'What colour is this image?' },
							{ type: 'image_url', image_url: { url: dataUrl('image/png', GREY_SQUARE) } },
						],
					},
				],
				max_tokens: 1,
			});
			return {
				expected: { status: is.oneOf([400, 422]), message: is.nonEmptyString },
				seen: {
					model: model.id,
					input_modalities: model.input_modalities,
					status: answer.status,
					shape: errorShape(answer.json, answer.text),
					message: pkg.apiMessage(answer.json ?? answer.text),
				},
			};
		},
	},
	{
		id: 'chat.tool-call',
		title: 'tools + tool_choice required: a tool call',
		relies: 'output.ts: message.tool_calls [{id, type, function {name, arguments: JSON string}}]',
		billable: true,
		async run(ctx) {
			const request = { messages: WEATHER_QUESTION, max_tokens: 30, tool_choice: 'required' };
			const { choice, seen } = await toolAnswer(ctx, request);
			return {
				expected: { status: 200, finish_reason: 'tool_calls', call: WEATHER_CALL },
				seen: {
					...seen,
					finish_reason: choice.finish_reason,
					call: toolCallFacts(choice.message?.tool_calls?.[0]),
				},
			};
		},
	},
	streamCheck(
		'subnode.stream-usage',
		'stream_options include_usage: usage chunk',
		'Chat Model sub-node (LangChain ChatOpenAI, streaming): stream_options {include_usage: true}',
		{ stream_options: { include_usage: true } },
	),
	{
		id: 'subnode.tool-result',
		title: 'tool-role message after a tool call: an answer',
		relies:
			'Chat Model sub-node under an Agent: assistant tool_calls + role "tool" message, tools, tool_choice auto',
		billable: true,
		async run(ctx) {
			const request = { messages: TOOL_ROUND_TRIP, max_tokens: 10, tool_choice: 'auto' };
			const { answer, choice, seen } = await toolAnswer(ctx, request);
			return {
				expected: {
					status: 200,
					role: 'assistant',
					finish_reason: is.oneOf(['stop', 'length', 'tool_calls']),
				},
				seen: {
					...seen,
					role: choice.message?.role,
					finish_reason: choice.finish_reason,
					content: choice.message?.content,
					...messageUnlessOk(answer),
				},
			};
		},
	},
	{
		id: 'subnode.stream-tool-call',
		title: 'streamed tool call (tools + stream + include_usage)',
		relies:
			'Chat Model sub-node with streaming under an Agent: tool-call deltas assemble into a call',
		billable: true,
		async run(ctx) {
			const model = ctx.models.tools;
			const answer = await chatWithWeatherTool(ctx, {
				messages: WEATHER_QUESTION,
				max_tokens: 30,
				stream: true,
				stream_options: { include_usage: true },
				tool_choice: 'required',
			});
			const { assembled, ...facts } = streamFacts(answer);
			const choice = assembled?.choices?.[0] ?? {};
			return {
				expected: {
					...STREAM_EXPECTED,
					finish_reason: 'tool_calls',
					call: WEATHER_CALL,
				},
				seen: {
					model: model.id,
					...facts,
					finish_reason: choice.finish_reason,
					call: toolCallFacts(choice.message?.tool_calls?.[0]),
				},
			};
		},
	},
	{
		id: 'embeddings',
		title: 'POST /embeddings: vectors, usage, provider',
		relies:
			'Embedding → Create (notes.md: input array, data[].index/embedding, usage.cost, x-cortecs-provider)',
		billable: true,
		async run(ctx) {
			const model = await ctx.models.embedding();
			const input = ['contract check one', 'contract check two'];
			const answer = await ctx.embed({ model: model.id, input });
			const body = answer.json ?? {};
			const data = Array.isArray(body.data) ? body.data : [];
			const dims = data.map((d) => (Array.isArray(d?.embedding) ? d.embedding.length : -1));
			return {
				expected: {
					status: 200,
					object: 'list',
					provider: is.nonEmptyString,
					items: input.map((_, index) => ({ index, object: 'embedding', numbers: true })),
					sameDimensions: true,
					usage: { prompt_tokens: is.positiveInteger, cost: is.nonNegativeInteger },
				},
				seen: {
					model: model.id,
					status: answer.status,
					object: body.object,
					provider: answer.headers['x-cortecs-provider'],
					items: data.map((d) => ({
						index: d?.index,
						object: d?.object,
						numbers:
							Array.isArray(d?.embedding) &&
							d.embedding.length > 0 &&
							d.embedding.every((x) => typeof x === 'number'),
					})),
					sameDimensions: dims.length > 0 && dims.every((n) => n === dims[0] && n > 0),
					usage: body.usage,
					...messageUnlessOk(answer),
				},
			};
		},
	},
	{
		id: 'rate-limit.429',
		title: '429: Retry-After and a message',
		relies:
			'throughput.ts retries a 429 after its Retry-After (errors.ts parseRetryAfter); the limiter shrinks its window',
		serverOnly: 'a 429 cannot be provoked cheaply against the real API (undocumented there)',
		async run(ctx) {
			ctx.server.configure({ capacity: 0 });
			let answer;
			try {
				answer = await ctx.client.free('POST', '/chat/completions', {
					key: 'valid',
					body: { model: ctx.models.chat.id, messages: PROMPT, max_tokens: 1 },
				});
			} finally {
				ctx.server.configure({ capacity: null });
			}
			return {
				expected: { status: 429, retryAfterMs: is.nonNegativeInteger, message: is.nonEmptyString },
				seen: {
					status: answer.status,
					retryAfter: answer.headers['retry-after'],
					retryAfterMs: pkg.parseRetryAfter(answer.headers['retry-after']),
					message: apiMessageOf(answer),
				},
			};
		},
	},
];

/** A provider the router knows that does not serve the cheapest chat model. */
function otherProvider(ctx) {
	const serving = new Set(ctx.models.chat.providers ?? []);
	return serving.size ? pkg.KNOWN_PROVIDERS.find((p) => !serving.has(p)) : undefined;
}

function toolCallFacts(call) {
	if (!call) return null;
	let argumentsAreJson = false;
	try {
		argumentsAreJson =
			typeof call.function?.arguments === 'string' &&
			typeof JSON.parse(call.function.arguments) === 'object';
	} catch {
		argumentsAreJson = false;
	}
	return {
		id: call.id,
		type: call.type,
		name: call.function?.name,
		arguments: call.function?.arguments,
		argumentsAreJson,
	};
}

module.exports = { CHECKS, PROMPT };
