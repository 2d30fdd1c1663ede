'use strict';
/*
 * Shared by `npm start` and the end-to-end suite: puts the packed package into an n8n user folder the way
 * n8n installs community packages, the files the examples read into its files folder (files.js), and
 * imports the ready-to-use credentials and the example workflows.
 */
const fs = require('fs');
const path = require('path');
const { ROOT, packPackage, installTarball } = require('./runner');
const { provideFiles } = require('./files');

const EXAMPLES_DIR = path.join(ROOT, 'examples');
/** The files the examples read, copied into the files folder as they are. */
const EXAMPLE_FILES_DIR = path.join(EXAMPLES_DIR, 'files');

/** Ids and names the example workflows refer to. */
const CREDENTIALS = {
	cortecs: { id: 'CortecsCredDemo1', name: 'Cortecs account', type: 'cortecsApi' },
	// For n8n's own OpenAI nodes (OpenAI Chat Model, OpenAI Embeddings...) pointed at Cortecs (OpenAI-compatible).
	openAi: { id: 'CortecsAsOpenAi1', name: 'Cortecs (OpenAI-compatible)', type: 'openAiApi' },
};

function exampleFiles() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(EXAMPLES_DIR, f));
}

/** `npm pack` the package (dist/ must be built) and install the tarball into the user folder. */
function installPackage(userFolder, workDir) {
	const { tarball, files } = packPackage(workDir);
	const target = installTarball(userFolder, tarball);
	return { tarball, files, target };
}

/** The files folder of `userFolder`, with the files the examples read; returns its path. */
function provideExampleFiles(userFolder) {
	return provideFiles(userFolder, EXAMPLE_FILES_DIR);
}

function credentialsFile(dir, { apiKey, baseUrl }) {
	const file = path.join(dir, 'credentials.json');
	const list = [
		{ ...CREDENTIALS.cortecs, data: { apiKey, baseUrl } },
		{ ...CREDENTIALS.openAi, data: { apiKey, url: baseUrl, header: false } },
	];
	fs.writeFileSync(file, JSON.stringify(list, null, 2), { mode: 0o600 });
	return file;
}

/**
 * Imports the credentials and every workflow in `workflowDirs` (one CLI call per folder).
 * @param {import('./runner').N8n} n8n
 */
async function importAll(n8n, { apiKey, baseUrl, workDir, workflowDirs = [EXAMPLES_DIR] }) {
	fs.mkdirSync(workDir, { recursive: true });
	const credFile = credentialsFile(workDir, { apiKey, baseUrl });
	try {
		await n8n.importCredentials(credFile);
	} finally {
		fs.rmSync(credFile, { force: true });
	}
	for (const dir of workflowDirs) {
		await n8n.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
	}
}

/**
 * The first n8n that can run the Cortecs Chat Model (it ships @n8n/ai-node-sdk): the sub-node's own
 * MIN_N8N_VERSION, from the build.
 */
function chatModelMinN8n() {
	return require(path.join(ROOT, 'dist', 'nodes', 'LmChatCortecs', 'sdk.js')).MIN_N8N_VERSION;
}

/** Whether n8n `version` can run the Cortecs Chat Model. */
function runsChatModel(version) {
	const [x, y] = [version, chatModelMinN8n()].map((v) => v.split('.').map(Number));
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
	return true;
}

module.exports = {
	EXAMPLES_DIR,
	chatModelMinN8n,
	runsChatModel,
	CREDENTIALS,
	exampleFiles,
	installPackage,
	provideExampleFiles,
	importAll,
	credentialsFile,
};
