// The one display sanitiser: text from a torrent or a tracker, made safe to show on a terminal, in the editor or
// in a log. Characters that would act (move the cursor, ring, break a line, reorder the text around them) or that
// are drawn as nothing (and so hide what a name really holds) are shown as escapes instead. The CLI's text and
// JSON, the editor's labels and the core's diagnostics all use this set, so a name reads the same everywhere.

/**
 * C0 controls, DEL and C1 controls: terminal escape sequences (ESC, CSI U+009B), CR, backspace, BEL, NEL.
 * Shown as `\n`, `\r`, `\t` or `\xNN`.
 */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';

/**
 * Characters that are drawn as nothing or that act on the text around them, shown as `\u{…}`. This is
 * Unicode's Default_Ignorable_Code_Point (what a renderer without special support must draw as nothing),
 * less the variation selectors, plus the line and paragraph separators:
 * - bidi marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069)
 *   reorder what follows: `\u202Eexe.txt` reads as `txt.exe`;
 * - zero-width space, (non-)joiners, word joiner, invisible operators, the BOM, soft hyphen, combining
 *   grapheme joiner, Hangul and Khmer fillers, the Mongolian vowel separator, the deprecated format
 *   controls (U+206A–U+206F), shorthand and musical format controls, and the tag characters
 *   (U+E0000–U+E007F, which can spell a whole invisible sentence), and the code points Unicode reserves
 *   as default-ignorable: two names that differ only by these look the same;
 * - U+2028 and U+2029 break lines in editors and in JavaScript before ES2019.
 * Variation selectors (U+180B–U+180D, U+180F, U+FE00–U+FE0F, U+E0100–U+E01EF) stay: they only pick the glyph of
 * the character before them, and ordinary emoji (U+FE0F) and CJK names need them. Zero-width joiners in emoji
 * and Persian names are escaped all the same: there they cannot be told from a joiner that hides something.
 * test/unit/display-text.test.ts checks this list against the Unicode property of the running engine.
 */
const INVISIBLES =
  '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u206f' +
  '\\u3164\\ufeff\\uffa0\\ufff0-\\ufff8\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e00ff}\\u{e01f0}-\\u{e0fff}';

/** Every character that must never act or hide when shown. Printable ASCII (U+0020–U+007E) is never in it. */
// eslint-disable-next-line no-misleading-character-class -- the joiners and combining marks are meant one by one
const UNSAFE_IN_TEXT = new RegExp(`[${CONTROLS}${INVISIBLES}]`, 'gu');
/** JSON.stringify escapes C0 itself, and its layout holds real line breaks: the rest of the set. */
// eslint-disable-next-line no-misleading-character-class -- as above
const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f${INVISIBLES}]`, 'gu');

/**
 * Text with every unsafe character escaped: `\n`, `\r`, `\t` and `\xNN` for controls,
 * `\u{…}` for invisible and bidirectional characters. Everything else, including all printable ASCII, is kept.
 */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escapeUnsafe);
}

function escapeUnsafe(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0)!;
  return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * JSON text (from JSON.stringify) with every unsafe character escaped as JSON's own `\uXXXX`: still valid JSON
 * with the same value, and nothing in it acts or hides on a terminal.
 */
export function visibleJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, escapeUnsafeInJson);
}

function escapeUnsafeInJson(c: string): string {
  let out = '';
  // A character outside the BMP (a tag character) is escaped as its surrogate pair, as JSON spells it.
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
