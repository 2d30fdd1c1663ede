'use strict';

// tools/cortecs-server/phrasebook.js: the demo style's translations, sentence by sentence.

const { translate } = require('../../tools/cortecs-server/phrasebook');

test.each([
	[
		'Guten Morgen! Meine Rechnung fehlt seit zwei Wochen.',
		'Good morning! My invoice has been missing for two weeks.',
	],
	[
		'Bonjour ! Ma facture manque depuis deux semaines.',
		'Hello! My invoice has been missing for two weeks.',
	],
	['  guten   MORGEN!  ', 'Good morning!'],
])('%j → %j', (text, english) => expect(translate(text)).toBe(english));

test('a sentence the phrasebook does not hold stays as it is, marked, not made up', () => {
	expect(translate('Hallo! Wo ist mein Paket?')).toBe('Hello! [untranslated: Wo ist mein Paket?]');
});
