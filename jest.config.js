/** Unit and integration tests: the compiled node (dist/) run by n8n-core against tools/cortecs-server/index.js. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/queue/', '/test/latest/'],
	testTimeout: 30000,
};
