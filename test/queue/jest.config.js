/**
 * Queue-mode suite: the packed package in n8n's queue mode (Postgres, Redis, one main process, two workers).
 * Kept apart from the unit tests (the root jest.config.js ignores test/queue/).
 *   npm run test:queue
 */
const path = require('path');

module.exports = {
	rootDir: path.join(__dirname, '..', '..'),
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.js'],
	testEnvironment: 'node',
	maxWorkers: 1,
	// every step has its own bounded timeout on top
	testTimeout: 5 * 60 * 1000,
	verbose: true,
};
