/** Provider names seen on the Cortecs router; offered as suggestions, any other name is allowed. */
export const KNOWN_PROVIDERS = [
	'aki',
	'amazon_ireland',
	'amazon_paris',
	'azure_sc',
	'azure_spc',
	'berget',
	'entrim',
	'google',
	'inceptron',
	'infercom',
	'ionos',
	'mistral',
	'nebius',
	'ovh',
	'scaleway',
	'tensorix',
];
