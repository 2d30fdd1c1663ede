'use strict';

/**
 * An answer refined in the 'demo' answer style: the earlier answer, sentence by sentence, with formal
 * words replaced by plain ones and long sentences split where a clause begins. Every fact stays; nothing
 * is added, so what the refinement changed is visible next to the draft.
 */

/** Formal word or phrase → plain one (lower case; the first letter's case is kept). */
const PLAIN = [
	['in close proximity to', 'close to'],
	['in order to', 'to'],
	['prior to', 'before'],
	['subject to', 'covered by'],
	['additionally', 'also'],
	['approximately', 'about'],
	['authorities', 'officials'],
	['commence', 'start'],
	['consequently', 'so'],
	['demonstrates', 'shows'],
	['facilitates', 'helps'],
	['however', 'but'],
	['numerous', 'many'],
	['obtain', 'get'],
	['processed', 'handled'],
	['processes', 'handles'],
	['reduces', 'cuts'],
	['remains', 'stays'],
	['require', 'ask'],
	['requires', 'asks'],
	['sufficient', 'enough'],
	['therefore', 'so'],
	['transferred', 'sent'],
	['utilise', 'use'],
	['utilize', 'use'],
];

/** Where a long sentence can become two: before "so", "but", "which" after a comma, and at a semicolon. */
const CLAUSE = /,\s+(?=(?:so|but|which)\s)|;\s+/;

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** @param {string} sentence */
function plainWords(sentence) {
	let out = sentence;
	for (const [formal, plain] of PLAIN)
		out = out.replace(new RegExp(`\\b${formal}\\b`, 'gi'), (found) =>
			found[0] === found[0].toUpperCase() ? capitalise(plain) : plain,
		);
	return out;
}

/**
 * `draft` in plainer words and shorter sentences.
 * @param {string} draft
 */
function refine(draft) {
	const sentences = (draft.match(/[^.!?]+[.!?]*/g) || [draft]).map((s) => s.trim()).filter(Boolean);
	return sentences
		.flatMap((s) => {
			const end = /[.!?]$/.test(s) ? s.slice(-1) : '.';
			const parts = s.replace(/[.!?]+$/, '').split(CLAUSE);
			return parts.map((part) => `${capitalise(plainWords(part.trim()))}${end}`);
		})
		.join(' ');
}

module.exports = { refine, plainWords };
