'use strict';

// tools/n8n/files.js: the folder the examples read and write, in an n8n user folder.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { FILES_FOLDER, filesFolder, fileAccessEnv, provideFiles } = require('../../tools/n8n/files');

let scratch;
beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cortecs-files-'))));
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('n8n may read and write only in the user folder’s .n8n-files, named by its real path', () => {
	const real = path.join(fs.realpathSync(scratch), 'home');
	fs.mkdirSync(real);
	const link = path.join(scratch, 'link');
	fs.symlinkSync(real, link);
	expect(FILES_FOLDER).toBe('.n8n-files');
	expect(filesFolder(link)).toBe(path.join(real, '.n8n-files'));
	expect(fileAccessEnv(link)).toEqual({
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(real, '.n8n-files'),
	});
});

test('the files to read are copied in, older copies replaced; files the examples wrote stay', () => {
	const home = path.join(scratch, 'home');
	const source = path.join(scratch, 'source');
	fs.mkdirSync(path.join(source, 'sub'), { recursive: true });
	fs.writeFileSync(path.join(source, 'a.txt'), 'new');
	fs.writeFileSync(path.join(source, 'sub', 'b.txt'), 'b');
	fs.mkdirSync(path.join(home, FILES_FOLDER), { recursive: true });
	fs.writeFileSync(path.join(home, FILES_FOLDER, 'a.txt'), 'old');
	fs.writeFileSync(path.join(home, FILES_FOLDER, 'written.json'), '[]');

	const folder = provideFiles(home, source);

	expect(folder).toBe(filesFolder(home));
	expect(fs.readFileSync(path.join(folder, 'a.txt'), 'utf8')).toBe('new');
	expect(fs.readFileSync(path.join(folder, 'sub', 'b.txt'), 'utf8')).toBe('b');
	expect(fs.readFileSync(path.join(folder, 'written.json'), 'utf8')).toBe('[]');
});

test('without files to read, the folder is still made, for what the examples write', () => {
	const home = path.join(scratch, 'home');
	fs.mkdirSync(home);
	const folder = provideFiles(home, path.join(scratch, 'none'));
	expect(fs.readdirSync(folder)).toEqual([]);
});
