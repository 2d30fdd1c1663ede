'use strict';
const fs = require('fs');
const { stopAll } = require('../../tools/n8n/runner');

module.exports = async () => {
	await stopAll();
	const state = process.env.E2E_STATE && JSON.parse(process.env.E2E_STATE);
	if (state && state.work && !process.env.E2E_KEEP)
		fs.rmSync(state.work, { recursive: true, force: true });
	else if (state) process.stderr.write(`[e2e] kept ${state.work} (E2E_KEEP is set)\n`);
};
