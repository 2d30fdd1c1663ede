'use strict';

// Where tools/n8n/install.js keeps its installs: one folder per user, shared by every clone.

const os = require('os');
const path = require('path');
const { cacheDir } = require('../../tools/n8n/install');

test('N8N_CORTECS_CACHE, else $XDG_CACHE_HOME/n8n-nodes-cortecs, else ~/.cache/n8n-nodes-cortecs', () => {
	expect(cacheDir({ N8N_CORTECS_CACHE: '/srv/cache', XDG_CACHE_HOME: '/x' })).toBe('/srv/cache');
	expect(cacheDir({ N8N_CORTECS_CACHE: 'rel' })).toBe(path.resolve('rel'));
	expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/n8n-nodes-cortecs');
	expect(cacheDir({})).toBe(path.join(os.homedir(), '.cache', 'n8n-nodes-cortecs'));
});
