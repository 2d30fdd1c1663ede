'use strict';

// tools/cortecs-server/plain-words.js: the demo style's refinement of an earlier answer.

const { refine, plainWords } = require('../../tools/cortecs-server/plain-words');

test('formal words become plain ones, whole words only, the first letter’s case kept', () => {
	expect(plainWords('Additionally, it processes data in order to obtain results.')).toBe(
		'Also, it handles data to get results.',
	);
	expect(plainWords('Unprocessed reprocesses')).toBe('Unprocessed reprocesses');
});

test('a sentence is split where a clause starts (", so", ", but", ", which", ";"), each part a sentence', () => {
	expect(refine('It is fast, so users stay; costs fall, but slowly. Done')).toBe(
		'It is fast. So users stay. Costs fall. But slowly. Done.',
	);
});

test('every sentence of the draft is kept, in order: nothing is added or left out', () => {
	const draft = 'Numerous teams utilise it. The price remains sufficient.';
	expect(refine(draft)).toBe('Many teams use it. The price stays enough.');
});
