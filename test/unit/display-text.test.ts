// The display sanitiser (src/core/text/display.ts) and the two paths that show torrent strings through it:
// the CLI (`show` as text and as JSON) and the editor (shownText, which every label goes through). A hostile
// string must read the same in both, act on nothing, and keep its exact value in JSON.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { visibleJson, visibleText } from '../../src/core/text/display';
import { showJsonText, showText } from '../../src/cli/commands/show';
import { shownText } from '../../src/view-model/format';

/** Hostile strings and how they must be shown. */
const HOSTILE: [string, string, string][] = [
  ['terminal escape', '\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
  ['title-setting OSC', '\x1b]0;owned\x07', '\\x1b]0;owned\\x07'],
  ['CR, LF, tab, backspace', 'a\rb\nc\td\be', 'a\\rb\\nc\\td\\x08e'],
  ['NUL and DEL', 'nul\0del\x7f', 'nul\\x00del\\x7f'],
  ['C1: NEL and CSI', 'nel\u0085csi\u009b2J', 'nel\\x85csi\\x9b2J'],
  ['right-to-left override', 'invoice\u202efdp.exe', 'invoice\\u{202e}fdp.exe'],
  [
    'bidi embeddings, marks and isolates',
    '\u202a\u202b\u202c\u202d\u200e\u200f\u061c\u2066\u2067\u2068\u2069',
    '\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{200e}\\u{200f}\\u{61c}\\u{2066}\\u{2067}\\u{2068}\\u{2069}',
  ],
  ['zero-width space, joiners, BOM', 'a\u200bb\u200cc\u200dd\ufeffe', 'a\\u{200b}b\\u{200c}c\\u{200d}d\\u{feff}e'],
  ['word joiner, invisible operators', '\u2060\u2061\u2062\u2063\u2064', '\\u{2060}\\u{2061}\\u{2062}\\u{2063}\\u{2064}'],
  ['soft hyphen, grapheme joiner', 'se\u00adtup\u034f.exe', 'se\\u{ad}tup\\u{34f}.exe'],
  ['Hangul fillers', '\u3164\u115f\u1160\uffa0', '\\u{3164}\\u{115f}\\u{1160}\\u{ffa0}'],
  ['Mongolian vowel separator, Khmer inherent vowels', '\u180e\u17b4\u17b5', '\\u{180e}\\u{17b4}\\u{17b5}'],
  ['line and paragraph separators', 'one\u2028two\u2029three', 'one\\u{2028}two\\u{2029}three'],
  ['tag characters spelling hidden text', 'ok\u{e0001}\u{e0068}\u{e0069}\u{e007f}', 'ok\\u{e0001}\\u{e0068}\\u{e0069}\\u{e007f}'],
  ['musical and shorthand format controls', '\u{1d173}\u{1bca0}', '\\u{1d173}\\u{1bca0}'],
  ['text that merely looks like an escape', 'literal \\x1b and \\u{202e}', 'literal \\x1b and \\u{202e}'],
  ['HTML', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ['ordinary Unicode: accents, CJK, emoji with variation selector', 'Données 日本語 ❤\ufe0f 🎬', 'Données 日本語 ❤\ufe0f 🎬'],
];

/**
 * What must never reach a screen unescaped, from the Unicode properties of the running engine: controls,
 * default-ignorable characters other than variation selectors, line and paragraph separators.
 */
const MUST_ESCAPE = /[\p{Cc}\u2028\u2029]|(?!\p{Variation_Selector})\p{Default_Ignorable_Code_Point}/u;
/** Output with its line breaks, which are layout, taken out. */
const withoutLineBreaks = (output: string) => output.replace(/\n/g, '');

function torrentNamed(name: string): Metainfo {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const result = parseMetainfo(
    encode({
      comment: utf8(name),
      info: {
        files: [{ length: 3, path: [utf8(name), utf8('leaf')] }],
        name: utf8(name),
        'piece length': 16384,
        pieces: new Uint8Array(20),
      },
    }),
  );
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  return result.metainfo;
}

for (const [what, hostile, shown] of HOSTILE) {
  test(`display: ${what} reads the same in the CLI and the editor`, () => {
    assert.equal(visibleText(hostile), shown);
    assert.equal(visibleText(shown), shown, 'escaping again changes nothing');
    assert.deepEqual(shownText({ text: hostile, utf8: true }), { text: shown, utf8: true }, 'editor');

    const m = torrentNamed(hostile);
    const text = showText('hostile.torrent', m, false);
    assert.ok(text.startsWith(`Name: ${shown}\n`), text.split('\n')[0]);
    assert.ok(text.includes(`\n  Comment: ${shown}\n`), 'the comment');
    assert.ok(text.includes(`\n  ${shown}/${shown}/leaf (3 bytes)\n`), 'the file listing');
    assert.doesNotMatch(withoutLineBreaks(text), MUST_ESCAPE, 'text: nothing acts or hides');

    const json = showJsonText('hostile.torrent', m, false);
    assert.doesNotMatch(withoutLineBreaks(json), MUST_ESCAPE, 'JSON: nothing acts or hides');
    const value = JSON.parse(json) as { name: string; comment: string; files: { path: string[] }[] };
    assert.equal(value.name, hostile, 'JSON keeps the exact value');
    assert.equal(value.comment, hostile);
    assert.deepEqual(value.files[0].path, [hostile, 'leaf']);
  });
}

test('display: every code point is escaped exactly when it is a control, default-ignorable (but a variation selector) or a line or paragraph separator', () => {
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code === 0xd800) code = 0xe000; // surrogates are no characters
    const c = String.fromCodePoint(code);
    const escaped = visibleText(c);
    if (MUST_ESCAPE.test(c)) {
      const hex = code.toString(16);
      const expected =
        c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : code <= 0x9f ? `\\x${hex.padStart(2, '0')}` : `\\u{${hex}}`;
      assert.equal(escaped, expected, `U+${hex}`);
      const json = visibleJson(JSON.stringify(c));
      assert.match(json, /^"(\\u[0-9a-f]{4}|\\[nrtbf])+"$/, `U+${hex} in JSON: ${json}`);
      assert.equal(JSON.parse(json), c);
    } else if (escaped !== c) {
      assert.fail(`U+${code.toString(16)} is escaped but need not be`);
    }
  }
});

test('display: printable ASCII is never escaped (the CLI copies it byte by byte)', () => {
  const printable = String.fromCharCode(...Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i));
  assert.equal(visibleText(printable), printable);
  assert.equal(visibleJson(JSON.stringify(printable)), JSON.stringify(printable));
});

test('display: JSON keeps its layout and its value', () => {
  const value = { name: 'a\u202eb\u0085c\u{e0041}', list: ['\x1b', '\u2028'] };
  const json = visibleJson(JSON.stringify(value, null, 2));
  assert.ok(json.includes('\n  "name": "a\\u202eb\\u0085c\\udb40\\udc41"'), json);
  assert.deepEqual(JSON.parse(json), value);
});

test('display: the editor cuts long text before escaping and counts what it left out', () => {
  const shown = shownText({ text: `${'\u202e'.repeat(3)}${'x'.repeat(20)}`, utf8: false }, 5);
  assert.deepEqual(shown, { text: '\\u{202e}\\u{202e}\\u{202e}xx', utf8: false, omitted: 18 });
});
