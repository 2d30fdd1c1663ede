// TypeScript, package.json, credentials and nodes: the lint rules of n8n's own community-node tooling
// (@n8n/node-cli's eslint config), the recommended @n8n/eslint-plugin-community-nodes rules plus
// eslint-plugin-n8n-nodes-base, with the same few rules switched off as there.
// Every JavaScript file (tests, e2e, bench, scripts, root configs): js recommended with Node and jest globals.
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes');

const communityNodes = n8nCommunityNodesPlugin.configs.recommended;

module.exports = tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/e2e/artifacts/**'] },
	{
		files: ['**/*.js'],
		extends: [js.configs.recommended],
		languageOptions: {
			ecmaVersion: 2022,
			sourceType: 'commonjs',
			globals: { ...globals.node },
		},
		// `const { id, ...rest } = x` is how the tests drop a field before an exact comparison
		rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
	},
	{
		files: ['test/**/*.js'],
		languageOptions: { globals: { ...globals.jest } },
	},
	{
		files: ['tools/**/*.d.ts'],
		extends: [tseslint.configs.recommended],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', '*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodes],
		rules: { 'prefer-spread': 'off', 'no-console': 'error' },
	},
	{
		// The scanner lints every .js and .json file under nodes/ and credentials/ too (its SOURCE_FILE_PATTERNS).
		files: ['{nodes,credentials}/**/*.{js,json}'],
		extends: [communityNodes],
		rules: { 'no-console': 'error' },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: { ...n8nNodesBase.configs.community.rules, 'no-console': 'error' },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
