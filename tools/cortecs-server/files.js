'use strict';

/**
 * Files in chat requests, read the way the API takes them: `image_url` and `file` content parts, their
 * base64 data URLs decoded and the bytes checked against the MIME type they claim (`checkFileParts`), the
 * model's `input_modalities` checked against what the request carries (`modalityProblem`), and what a file
 * shows of itself without a model (`filesOf`): an image's type and pixel size from its header, a PDF's page
 * count and the text of its uncompressed content streams. The error bodies follow OpenAI's, which the
 * providers behind the router answer with.
 */

const { openAiError } = require('./respond');
const { isPlainObject } = require('./text');

/** The image types the API reads, with the name a person uses for each. */
const IMAGE_TYPES = Object.freeze({
	'image/png': 'PNG',
	'image/jpeg': 'JPEG',
	'image/webp': 'WebP',
	'image/gif': 'GIF',
});
const PDF = 'application/pdf';
const DETAILS = ['auto', 'low', 'high'];

/** The modality of a content part type: what `input_modalities` must list for it. */
const MODALITY_OF_PART = Object.freeze({ image_url: 'image', file: 'document' });

/**
 * @param {string} message
 * @param {string} param
 * @param {string} code
 */
function badRequest(message, param, code) {
	return { status: 400, payload: openAiError(message, 'invalid_request_error', param, code) };
}

/**
 * The MIME type the bytes are, by their signature: one of IMAGE_TYPES or a PDF, else null.
 * @param {Buffer} bytes
 * @returns {string|null}
 */
function typeOf(bytes) {
	const ascii = (from, to) => bytes.toString('latin1', from, to);
	if (
		bytes.length >= 8 &&
		bytes.readUInt32BE(0) === 0x89504e47 &&
		bytes.readUInt32BE(4) === 0x0d0a1a0a
	)
		return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'image/jpeg';
	if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
	// The PDF header may follow a little junk: readers look for it in the first 1,024 bytes.
	if (ascii(0, 1024).includes('%PDF-')) return PDF;
	return null;
}

/**
 * A JPEG's size: from its first start-of-frame segment (SOF0-SOF15 but DHT, JPG and DAC).
 * @param {Buffer} b
 */
function jpegSize(b) {
	let i = 2;
	while (i + 9 < b.length) {
		if (b[i] !== 0xff) return null;
		const marker = b[i + 1];
		if (marker === 0xff) {
			i++; // fill byte
			continue;
		}
		if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
			return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) i += 2;
		else i += 2 + b.readUInt16BE(i + 2);
	}
	return null;
}

/**
 * A WebP's size, from its first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X).
 * @param {Buffer} b
 */
function webpSize(b) {
	const chunk = b.toString('latin1', 12, 16);
	if (chunk === 'VP8 ' && b.length >= 30)
		return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	if (chunk === 'VP8L' && b.length >= 25) {
		const bits = b.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X' && b.length >= 30)
		return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
	return null;
}

/**
 * An image's pixel size read from its header, or null when the header is cut short.
 * @param {Buffer} bytes
 * @param {string} mime one of IMAGE_TYPES
 * @returns {{width: number, height: number}|null}
 */
function imageSize(bytes, mime) {
	switch (mime) {
		case 'image/png':
			if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
			return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
		case 'image/gif':
			return bytes.length < 10
				? null
				: { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
		case 'image/jpeg':
			return jpegSize(bytes);
		case 'image/webp':
			return webpSize(bytes);
		default:
			return null;
	}
}

/**
 * A PDF's page count: its page objects, else the largest page-tree count (pages kept in object streams
 * are compressed out of sight).
 * @param {string} pdf the file as latin1
 */
function pdfPages(pdf) {
	const pages = (pdf.match(/\/Type\s*\/Page(?![A-Za-z])/g) || []).length;
	if (pages > 0) return pages;
	const counts = [...pdf.matchAll(/\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
	return counts.length ? Math.max(...counts) : 0;
}

/**
 * The streams of a PDF that are neither compressed (no `/Filter`) nor images: its uncompressed page
 * contents, in file order.
 * @param {string} pdf the file as latin1
 */
function plainStreams(pdf) {
	const streams = [];
	const start = /stream\r?\n/g;
	let m;
	while ((m = start.exec(pdf))) {
		if (pdf.slice(m.index - 3, m.index) === 'end') continue;
		const dictionary = pdf.slice(pdf.lastIndexOf('obj', m.index), m.index);
		const end = pdf.indexOf('endstream', start.lastIndex);
		if (end === -1) break;
		if (!/\/Filter|\/Subtype/.test(dictionary)) streams.push(pdf.slice(start.lastIndex, end));
		start.lastIndex = end + 'endstream'.length;
	}
	return streams;
}

const ESCAPES = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/**
 * The tokens of a content stream: strings as `{text}`, numbers, `[`/`]`, names and operators as strings.
 * @param {string} s
 * @returns {Array<{text: string}|number|string>}
 */
function tokensOf(s) {
	const tokens = [];
	let i = 0;
	while (i < s.length) {
		const c = s[i];
		if (/\s/.test(c)) i++;
		else if (c === '%') while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i++;
		else if (c === '(') {
			let text = '';
			let depth = 1;
			for (i++; i < s.length && depth > 0; i++) {
				const d = s[i];
				if (d === '\\') {
					const e = s[++i];
					const octal = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
					if (octal) {
						text += String.fromCharCode(parseInt(octal[0], 8));
						i += octal[0].length - 1;
					} else if (e === '\r' || e === '\n') {
						if (e === '\r' && s[i + 1] === '\n') i++;
					} else text += ESCAPES[e] ?? e;
				} else if (d === '(') {
					depth++;
					text += d;
				} else if (d === ')') {
					if (--depth > 0) text += d;
				} else text += d;
			}
			tokens.push({ text });
		} else if (c === '<' && s[i + 1] !== '<') {
			const end = s.indexOf('>', i);
			const hex = s.slice(i + 1, end === -1 ? s.length : end).replace(/\s/g, '');
			tokens.push({
				text: Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex').toString('latin1'),
			});
			i = end === -1 ? s.length : end + 1;
		} else if (c === '[' || c === ']') {
			tokens.push(c);
			i++;
		} else {
			const word = /^(?:<<|>>|[^\s()<>[\]{}/%]+|\/[^\s()<>[\]{}/%]*|.)/.exec(s.slice(i, i + 256));
			const w = word ? word[0] : c;
			tokens.push(/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w) ? Number(w) : w);
			i += w.length;
		}
	}
	return tokens;
}

/**
 * The text a content stream shows, one line per text line: the strings of Tj, TJ, ' and ", with a line
 * break where the text moves to another line (Td/TD down or up, T*, Tm, ' and ", ET).
 * @param {string} stream
 */
function streamText(stream) {
	let out = '';
	/** @type {Array<{text: string}|number|string|Array<any>>} */
	let operands = [];
	/** @type {Array<any>|null} */
	let array = null;
	const newLine = () => {
		if (out && !out.endsWith('\n')) out += '\n';
	};
	for (const t of tokensOf(stream)) {
		if (t === '[') array = [];
		else if (t === ']') {
			operands.push(array || []);
			array = null;
		} else if (array) array.push(t);
		else if (typeof t !== 'string' || t.startsWith('/')) operands.push(t);
		else {
			const last = operands[operands.length - 1];
			switch (t) {
				case 'Tj':
					if (last && typeof last === 'object' && 'text' in last) out += last.text;
					break;
				case "'":
				case '"':
					newLine();
					if (last && typeof last === 'object' && 'text' in last) out += last.text;
					break;
				case 'TJ':
					for (const e of Array.isArray(last) ? last : []) {
						if (typeof e === 'number' && e < -200) out += ' ';
						else if (e && typeof e === 'object') out += e.text;
					}
					break;
				case 'Td':
				case 'TD':
					if (operands[operands.length - 1] !== 0) newLine();
					break;
				case 'T*':
				case 'Tm':
				case 'ET':
					newLine();
					break;
			}
			operands = [];
		}
	}
	return out;
}

/**
 * The text of a PDF's uncompressed content streams (compressed ones are left out), lines trimmed.
 * @param {string} pdf the file as latin1
 */
function pdfText(pdf) {
	return plainStreams(pdf)
		.map(streamText)
		.join('\n')
		.split('\n')
		.map((line) => line.replace(/\s+/g, ' ').trim())
		.filter(Boolean)
		.join('\n');
}

/**
 * A data URL's MIME type and bytes, or why it cannot be read (it must be base64, as the API takes files).
 * @param {string} url
 * @returns {{mime: string, bytes: Buffer} | {problem: string}}
 */
function decodeDataUrl(url) {
	const comma = url.indexOf(',');
	const header = comma === -1 ? '' : url.slice('data:'.length, comma);
	const params = header.split(';');
	if (comma === -1 || params[params.length - 1] !== 'base64')
		return { problem: 'a value that is not a base64 data URL' };
	const data = url.slice(comma + 1);
	// Node's decoder skips what is not base64 (and takes base64url's - and _): valid base64 decodes to
	// exactly 3 bytes per 4 characters, less the padding. (A regular expression takes 10-20 ms a MiB.)
	const bytes = Buffer.from(data, 'base64');
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	const valid =
		data.length > 0 &&
		data.length % 4 === 0 &&
		bytes.length === (data.length / 4) * 3 - padding &&
		!data.includes('-') &&
		!data.includes('_');
	if (!valid) return { problem: 'a value that is not valid base64' };
	return { mime: params[0].toLowerCase(), bytes };
}

/**
 * Every file part of the messages, where it is and what it is.
 * @param {any[]} messages
 * @returns {Array<{i: number, j: number, role: string, part: Record<string, any>, param: string}>}
 */
function filePartsOf(messages) {
	const found = [];
	messages.forEach((m, i) => {
		if (!Array.isArray(m.content)) return;
		m.content.forEach((/** @type {any} */ part, j) => {
			if (isPlainObject(part) && part.type in MODALITY_OF_PART)
				found.push({ i, j, role: m.role, part, param: `messages[${i}].content[${j}]` });
		});
	});
	return found;
}

/** @param {string} mime */
const kindOf = (mime) => IMAGE_TYPES[mime] || (mime === PDF ? 'PDF' : null);

/**
 * The first problem of an `image_url` part, or null.
 * @param {Record<string, any>} part
 * @param {string} param
 */
function imageProblem(part, param) {
	const image = part.image_url;
	if (!isPlainObject(image) || typeof image.url !== 'string') {
		return badRequest(
			`Invalid type for '${param}.image_url': expected an object with a string 'url'.`,
			`${param}.image_url`,
			'invalid_type',
		);
	}
	if (image.detail !== undefined && !DETAILS.includes(image.detail)) {
		return badRequest(
			`Invalid value for '${param}.image_url.detail': expected one of 'auto', 'low', 'high'.`,
			`${param}.image_url.detail`,
			'invalid_value',
		);
	}
	if (/^https?:\/\//i.test(image.url)) return null; // fetched by the provider; not checked here
	const expected =
		"Expected an https:// URL or a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,iVBORw0KGgo=')";
	if (!image.url.startsWith('data:')) {
		return badRequest(
			`Invalid image URL: '${param}.image_url.url'. ${expected}, but got an URL of another kind.`,
			`${param}.image_url.url`,
			'invalid_image_url',
		);
	}
	const decoded = decodeDataUrl(image.url);
	if ('problem' in decoded) {
		return badRequest(
			`Invalid image URL: '${param}.image_url.url'. ${expected}, but got ${decoded.problem}.`,
			`${param}.image_url.url`,
			'invalid_image_url',
		);
	}
	if (!IMAGE_TYPES[decoded.mime]) {
		return badRequest(
			`Invalid image URL: '${param}.image_url.url'. ${expected}, but got unsupported MIME type '${decoded.mime}'. Supported: ${Object.keys(IMAGE_TYPES).join(', ')}.`,
			`${param}.image_url.url`,
			'invalid_image_format',
		);
	}
	const actual = typeOf(decoded.bytes);
	if (actual !== decoded.mime) {
		const is = actual ? `a ${kindOf(actual)} file` : 'not an image the API reads';
		return badRequest(
			`Invalid image data in '${param}.image_url.url': the data URL says ${decoded.mime}, but the bytes are ${is}.`,
			`${param}.image_url.url`,
			'invalid_image',
		);
	}
	return null;
}

/**
 * The first problem of a `file` part, or null: a PDF sent as `file_data` with its `filename`.
 * @param {Record<string, any>} part
 * @param {string} param
 */
function documentProblem(part, param) {
	const file = part.file;
	if (!isPlainObject(file)) {
		return badRequest(
			`Invalid type for '${param}.file': expected an object.`,
			`${param}.file`,
			'invalid_type',
		);
	}
	// [likely] The router has no file store to resolve ids against: files travel in the request.
	if (file.file_id !== undefined) {
		return badRequest(
			`Invalid value for '${param}.file.file_id': uploaded files are not supported; send the file's bytes as 'file_data' (a base64 data URL).`,
			`${param}.file.file_id`,
			'invalid_value',
		);
	}
	for (const key of ['filename', 'file_data']) {
		if (typeof file[key] !== 'string' || !file[key]) {
			return badRequest(
				`Missing required parameter: '${param}.file.${key}'.`,
				`${param}.file.${key}`,
				'missing_required_parameter',
			);
		}
	}
	const expected = `Expected a base64-encoded data URL with an application/pdf MIME type (e.g. 'data:application/pdf;base64,JVBERi0xLjQ=')`;
	const decoded = file.file_data.startsWith('data:')
		? decodeDataUrl(file.file_data)
		: { problem: 'a value that is not a data URL' };
	if ('problem' in decoded || decoded.mime !== PDF) {
		const got = 'problem' in decoded ? decoded.problem : `unsupported MIME type '${decoded.mime}'`;
		return badRequest(
			`Invalid file data: '${param}.file.file_data'. ${expected}, but got ${got}.`,
			`${param}.file.file_data`,
			'invalid_value',
		);
	}
	if (typeOf(decoded.bytes) !== PDF) {
		return badRequest(
			`Invalid file data in '${param}.file.file_data': the data URL says application/pdf, but '${file.filename}' is not a PDF.`,
			`${param}.file.file_data`,
			'invalid_file',
		);
	}
	return null;
}

/**
 * The first problem of the messages' file parts, or null: files only in user messages, images as image
 * data URLs (or https:// URLs), PDFs as `file` parts, each decoded and its bytes matching its MIME type.
 * @param {any[]} messages
 * @returns {{status: number, payload: object}|null}
 */
function checkFileParts(messages) {
	for (const { role, part, param } of filePartsOf(messages)) {
		if (role !== 'user') {
			return badRequest(
				`Invalid '${param}': ${part.type} content parts are only supported in messages with role 'user', but this message has role '${role}'.`,
				param,
				'invalid_value',
			);
		}
		const problem =
			part.type === 'image_url' ? imageProblem(part, param) : documentProblem(part, param);
		if (problem) return problem;
	}
	return null;
}

/**
 * [likely] A request carrying a file the model cannot read (its `input_modalities` lack `image` for an
 * image, `document` for a PDF) is refused before any provider sees it: the API's documentation says
 * nothing about it; the catalogue lists the modalities, and providers refuse such requests themselves.
 * @param {any[]} messages
 * @param {import('./index').CortecsModel} model
 * @returns {{status: number, payload: object}|null}
 */
function modalityProblem(messages, model) {
	for (const { part, param } of filePartsOf(messages)) {
		const modality = MODALITY_OF_PART[/** @type {'image_url'|'file'} */ (part.type)];
		if (model.input_modalities.includes(modality)) continue;
		return badRequest(
			`Model '${model.id}' does not support ${modality} input (its input modalities: ${model.input_modalities.join(', ')}). Models tagged '${modality === 'image' ? 'Image' : 'Document'}' read it.`,
			`${param}.type`,
			'unsupported_input_modality',
		);
	}
	return null;
}

/**
 * What each file of the messages shows of itself, in order (checked by checkFileParts first): its name
 * (a PDF's file name, `image N` for an image) and a line of facts; a PDF's text as well.
 * @param {any[]} messages
 * @returns {Array<{name: string, facts: string, text: string}>}
 */
function filesOf(messages) {
	let images = 0;
	return filePartsOf(messages).map(({ part }) => {
		if (part.type === 'image_url') {
			const name = `image ${++images}`;
			const url = part.image_url.url;
			if (!url.startsWith('data:')) return { name, facts: `an image at ${url}`, text: '' };
			const { mime, bytes } = /** @type {{mime: string, bytes: Buffer}} */ (decodeDataUrl(url));
			const size = imageSize(bytes, mime);
			const pixels = size ? `, ${size.width} × ${size.height} pixels` : '';
			return { name, facts: `${IMAGE_TYPES[mime]} image${pixels}`, text: '' };
		}
		const { bytes } = /** @type {{mime: string, bytes: Buffer}} */ (
			decodeDataUrl(part.file.file_data)
		);
		const pdf = bytes.toString('latin1');
		const pages = pdfPages(pdf);
		return {
			name: part.file.filename,
			facts: `PDF, ${pages} ${pages === 1 ? 'page' : 'pages'}`,
			text: pdfText(pdf),
		};
	});
}

module.exports = {
	IMAGE_TYPES,
	typeOf,
	imageSize,
	pdfPages,
	pdfText,
	decodeDataUrl,
	checkFileParts,
	modalityProblem,
	filesOf,
};
