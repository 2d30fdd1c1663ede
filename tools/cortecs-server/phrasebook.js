'use strict';

/**
 * Translation into English in the 'demo' answer style: sentence by sentence from a phrasebook of support
 * messages (the examples' among them). A sentence it does not hold is kept as it is, marked, rather than
 * made up: the bundled server does not translate.
 */

/** German and French sentences a support inbox sees, with their English. */
const PHRASEBOOK = new Map(
	Object.entries({
		'guten morgen!': 'Good morning!',
		'guten tag!': 'Good afternoon!',
		'hallo!': 'Hello!',
		'meine rechnung fehlt seit zwei wochen.': 'My invoice has been missing for two weeks.',
		'bitte schicken sie mir die rechnung noch einmal.': 'Please send me the invoice again.',
		'unser zugang funktioniert nicht mehr.': 'Our access no longer works.',
		'vielen dank!': 'Thank you very much!',
		'bonjour !': 'Hello!',
		'ma facture manque depuis deux semaines.': 'My invoice has been missing for two weeks.',
		'merci beaucoup !': 'Thank you very much!',
	}),
);

/** A sentence ends at . ! or ? (with the space French puts before ! and ?). */
const SENTENCE = /[^.!?]+(?:\s?[.!?])+/g;

/**
 * `text` in English: each sentence from the phrasebook, else `[untranslated: <sentence>]`.
 * @param {string} text
 */
function translate(text) {
	const sentences = (text.match(SENTENCE) || [text]).map((s) => s.trim()).filter(Boolean);
	return sentences
		.map((s) => PHRASEBOOK.get(s.toLowerCase().replace(/\s+/g, ' ')) ?? `[untranslated: ${s}]`)
		.join(' ');
}

module.exports = { translate };
