/** The sub-nodes' parameter reading (shared/subNodeSettings.ts): attempts, Routing. */
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'dist', 'nodes');
const { attemptLimits, routerFields } = require(
	path.join(dist, 'Cortecs', 'shared', 'subNodeSettings.js'),
);
const { chatRouterOptions } = require(
	path.join(dist, 'Cortecs', 'descriptions', 'chat', 'complete.operation.js'),
);
const { embeddingRouterOptions } = require(
	path.join(dist, 'Cortecs', 'descriptions', 'embedding', 'create.operation.js'),
);
const { options } = require(path.join(dist, 'LmChatCortecs', 'properties', 'options.js'));

const node = require('./stubs').nodeNamed('Cortecs Chat Model');
const thrown = (fn) => {
	try {
		fn();
	} catch (error) {
		return error;
	}
	return null;
};

test('attemptLimits: the defaults of the description, else the values set (timeout in ms)', () => {
	expect(attemptLimits(node, options, {})).toEqual({ timeout: 600_000, maxRetries: 2 });
	expect(attemptLimits(node, options, { timeout: 5, maxRetries: 0 })).toEqual({
		timeout: 5000,
		maxRetries: 0,
	});
	expect(thrown(() => attemptLimits(node, options, { timeout: 0 })).message).toBe(
		'Options → Timeout (Seconds): 0 is not a number of at least 1',
	);
});

test('routerFields: the fields set, under their API names; list fields from lists or comma-separated text', () => {
	expect(
		routerFields(node, embeddingRouterOptions, {
			euNative: true,
			allowQuantization: false,
			allowedProviders: 'ionos, scaleway',
			fallbacks: ['mistral-embed', ''],
			preference: undefined,
			notAnOption: 1,
		}),
	).toEqual({
		eu_native: true,
		allow_quantization: false,
		allowed_providers: ['ionos', 'scaleway'],
		fallbacks: ['mistral-embed'],
	});
	expect(routerFields(node, chatRouterOptions, { allowedProviders: [] })).toEqual({});
});
