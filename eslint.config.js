// The lint rules of n8n's own community-node tooling (@n8n/node-cli's eslint config): the recommended
// @n8n/eslint-plugin-community-nodes rules plus eslint-plugin-n8n-nodes-base for package.json,
// credentials and nodes, with the same few rules switched off as there.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes');

const communityNodes = n8nCommunityNodesPlugin.configs.recommended;

module.exports = tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '.cache/**', '*.js'] },
	{
		files: ['**/*.ts'],
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
