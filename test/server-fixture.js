'use strict';

/**
 * The loopback Cortecs server of one test file: started before its first test, closed after its last, and
 * before each test given `settings` again (tests may change them) and its request log and counters reset.
 *
 *   const server = useCortecsServer({ keys: { valid: [KEY] } }, { includeCost: true });
 *
 * The object returned stands for the running server (`server.url`, `server.chatRequests()`...); it can be
 * taken at load time, before the server has started.
 */
const { startCortecsServer } = require('../tools/cortecs-server');

/**
 * @param {Parameters<typeof startCortecsServer>[0]} [options]
 * @param {object} [settings] passed to `configure()` before each test
 * @returns {import('../tools/cortecs-server').CortecsServer}
 */
function useCortecsServer(options = {}, settings) {
	let started;
	beforeAll(async () => {
		started = await startCortecsServer(options);
	});
	afterAll(async () => {
		await started?.close();
	});
	beforeEach(() => {
		if (settings) started.configure(settings);
		started.reset();
	});
	return new Proxy(
		{},
		{
			get(_, key) {
				if (!started)
					throw new Error(`The test server is not running yet (reading "${String(key)}").`);
				const value = started[key];
				return typeof value === 'function' ? value.bind(started) : value;
			},
		},
	);
}

/**
 * Settings for the embeddings tests, given again before each test: answers at once, no capacity limit, cost
 * in every answer, no limit on inputs, vectors listed in order and complete (tests change one of these).
 */
const EMBEDDINGS_SETTINGS = {
	latencyMs: 0,
	capacity: null,
	retryAfter: '0',
	includeCost: true,
	maxEmbeddingInputs: null,
	shuffleEmbeddings: false,
	dropEmbedding: false,
};

module.exports = { useCortecsServer, EMBEDDINGS_SETTINGS };
