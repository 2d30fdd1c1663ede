'use strict';
/*
 * The folder where the examples read and write files, the same for `npm start`, the e2e suite and n8n's
 * Docker image. n8n lets nodes touch files only inside N8N_RESTRICT_FILE_ACCESS_TO, by default
 * `~/.n8n-files` (`~`: the home folder of the user running n8n), and refuses expressions `$env` unless
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=false (n8n 2.8.4 and 2.41.1 alike). So an example names its files by a path
 * relative to n8n's working folder, `.n8n-files/<name>`: the Docker image runs n8n in its home folder
 * (/home/node), where that is the default folder; here n8n runs in its user folder, and
 * N8N_RESTRICT_FILE_ACCESS_TO names that folder's `.n8n-files`.
 */
const fs = require('fs');
const path = require('path');

/** Where example files go, relative to n8n's working folder (the path the examples use). */
const FILES_FOLDER = '.n8n-files';

/** The files folder of an n8n user folder (symlinks resolved: n8n compares real paths). */
function filesFolder(userFolder) {
	const folder = fs.existsSync(userFolder) ? fs.realpathSync(userFolder) : userFolder;
	return path.join(folder, FILES_FOLDER);
}

/** n8n's environment for that: its nodes may read and write in the files folder only. */
function fileAccessEnv(userFolder) {
	return { N8N_RESTRICT_FILE_ACCESS_TO: filesFolder(userFolder) };
}

/**
 * The files folder with a copy of every file in `sourceDir` (the files examples read), replacing older
 * copies; what the examples wrote stays.
 * @returns {string} the folder
 */
function provideFiles(userFolder, sourceDir) {
	const folder = filesFolder(userFolder);
	fs.mkdirSync(folder, { recursive: true });
	if (fs.existsSync(sourceDir)) fs.cpSync(sourceDir, folder, { recursive: true, force: true });
	return folder;
}

module.exports = { FILES_FOLDER, filesFolder, fileAccessEnv, provideFiles };
