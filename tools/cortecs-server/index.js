'use strict';

/**
 * A dependency-free, loopback-only HTTP server that behaves like the Cortecs LLM router
 * (https://api.cortecs.ai/v1) closely enough for unit tests, benchmarks, the e2e suite and `npm start`.
 *
 * Answers are deterministic ("Echo: <last user message>") so tests can assert exact outputs, and faults
 * can be requested per message with markers like `[[fault:503:2]]` (the DSL is in server/faults.js).
 * The modules are listed in CONTRIBUTING.md ("The test server"); the public types are in
 * cortecs-server.d.ts.
 *
 * Usage as a library: `const { startCortecsServer } = require('./index')`.
 * Usage as a CLI:     node tools/cortecs-server/index.js [--port 8787] [--latency 300] [--capacity 8]
 *                       [--retry-after 1|none] [--no-cost] [--quiet] [--ipc]
 */

const { MODELS, NON_EU_NATIVE_PROVIDERS } = require('./catalogue');
const { VALID_KEY, MANAGEMENT_KEY, EMPTY_BALANCE_KEY } = require('./keys');
const { startCortecsServer } = require('./server');

if (require.main === module) {
	require('./cli')
		.main(process.argv.slice(2))
		.catch((err) => {
			console.error(err);
			process.exit(1);
		});
}

module.exports = {
	startCortecsServer,
	MODELS,
	VALID_KEY,
	MANAGEMENT_KEY,
	EMPTY_BALANCE_KEY,
	NON_EU_NATIVE_PROVIDERS,
};
