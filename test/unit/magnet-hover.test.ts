// The hover of magnet links and info hashes in text files: document text only ever inside code spans (hostile
// names cannot add Markdown, HTML or links), the only links are command links to our own commands with the
// arguments made for them, and tracker passkeys are hidden unless shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMentions, type Mention } from '../../src/core/magnet/scan';
import { code, commandLink, HOVER_COMMANDS, mentionHover } from '../../src/view-model/peers/hover';

const V1 = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const V2 = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';

function only(text: string): Mention {
  const [mention] = findMentions(text);
  assert.ok(mention, text);
  return mention;
}

/** Every Markdown link in the hover (outside code spans), decoded: the command and its arguments. */
function links(markdown: string): { command: string; args: unknown[] }[] {
  return [...markdown.replace(/(`+)[\s\S]*?\1/g, '').matchAll(/\]\(([^)\s]*)\)/g)].map(([, target]) => {
    const match = /^command:([\w.]+)\?(.*)$/.exec(target);
    assert.ok(match, `a command link: ${target}`);
    return { command: match[1], args: JSON.parse(decodeURIComponent(match[2])) as unknown[] };
  });
}

/** The hover with every code span and link destination taken out: the text Markdown would read as Markdown. */
function outsideCode(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?\1/g, '').replace(/\]\([^)\s]*\)/g, ']');
}

test('magnet hover: hashes in every form, the name, trackers and actions that open or copy the link', () => {
  const link = `magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}&dn=Some+Name&tr=udp%3A%2F%2F127.0.0.1%3A6969&x.pe=127.0.0.1:6881&xl=1048576`;
  const markdown = mentionHover(only(`see ${link} here`), false);
  assert.match(markdown, /^\*\*Magnet link\*\* `Some Name`/);
  assert.match(markdown, new RegExp(`v1: \`${V1}\``));
  assert.match(markdown, /base32: `YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK`/);
  assert.match(markdown, new RegExp(`v2: \`${V2}\``));
  assert.match(markdown, /Trackers \(1\): `udp:\/\/127\.0\.0\.1:6969`/);
  assert.match(markdown, /Peers \(1\): `127\.0\.0\.1:6881`/);
  assert.match(markdown, /Length: 1\.00 MiB \(1,048,576 bytes\)/);
  const actions = links(markdown);
  assert.deepEqual(actions[0], { command: 'torrentLens.openMagnet', args: [link] });
  assert.deepEqual(actions[1], { command: 'torrentLens.copyText', args: [link, 'magnet link'] });
  assert.deepEqual(
    actions.slice(2).map((a) => a.args[0]),
    [V1, 'YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK', V2],
  );
  for (const action of actions) assert.ok(HOVER_COMMANDS.includes(action.command));
});

test('magnet hover: a hostile name, tracker or link adds no Markdown, HTML or link of its own', () => {
  const hostile = [
    '[click](command:workbench.action.terminal.new)',
    '<img src=x onerror=alert(1)>',
    '``` fence',
    '`',
    '**bold** _em_ # heading',
    'line\nbreak\u202eevil',
    'javascript:alert(1)',
  ];
  for (const name of hostile) {
    const link = `magnet:?xt=urn:btih:${V1}&dn=${encodeURIComponent(name)}&tr=${encodeURIComponent(`http://127.0.0.1/${name}`)}`;
    const markdown = mentionHover(only(link), false);
    const prose = outsideCode(markdown);
    assert.doesNotMatch(prose, /<|onerror|workbench\.action|javascript:|\*\*bold|# heading/, `${name}: ${prose}`);
    assert.doesNotMatch(markdown, /[\n]break|\u202e/, 'control and bidi characters are escaped');
    for (const action of links(markdown)) assert.ok(HOVER_COMMANDS.includes(action.command), action.command);
  }
  // Backticks inside: the fence is longer than any run of them, and padded when they touch an end.
  assert.equal(code('a`b'), '``a`b``');
  assert.equal(code('`x`'), '`` `x` ``');
  assert.equal(code('```'), '```` ``` ````');
  assert.equal(code('x'.repeat(500)).length, 2 + 200);
  // Parentheses in arguments are encoded, so the link destination cannot end early.
  assert.match(commandLink('x', 'torrentLens.copyText', ['a)b(c']), /\(command:torrentLens\.copyText\?[^()]*\)$/);
});

test('magnet hover: a tracker passkey is hidden unless secrets are shown', () => {
  const link = `magnet:?xt=urn:btih:${V1}&tr=${encodeURIComponent('http://127.0.0.1/announce?passkey=0123456789abcdef0123')}`;
  const hidden = mentionHover(only(link), false);
  const shownPart = hidden.split('\n\n').filter((line) => !line.includes('](command:'));
  assert.ok(!shownPart.join('\n').includes('0123456789abcdef0123'));
  assert.match(hidden, /passkey=\[redacted\]/);
  assert.match(mentionHover(only(link), true), /passkey=0123456789abcdef0123`/);
});

test('magnet hover: bare hashes say what else they could be, and open as a link of their own', () => {
  const v1 = mentionHover(only(`commit ${V1}`), false);
  assert.match(v1, /^\*\*40 hex digits\*\*: a BitTorrent v1 info hash, or another SHA-1 \(a Git commit, a checksum\)/);
  assert.deepEqual(links(v1)[0], { command: 'torrentLens.openMagnet', args: [`magnet:?xt=urn:btih:${V1}`] });
  const v2 = mentionHover(only(`urn:btmh:1220${V2}`), false);
  assert.match(v2, /^\*\*BitTorrent v2 info hash\*\*/);
  assert.deepEqual(links(v2)[0], { command: 'torrentLens.openMagnet', args: [`magnet:?xt=urn:btmh:1220${V2}`] });
  const broken = mentionHover(only('magnet:?xt=urn:btih:nothex'), false);
  assert.match(broken, /^\*\*Magnet link that Torrent Lens cannot use\*\*\n\n`xt: the v1 info hash "nothex"/);
  assert.deepEqual(links(broken), []);
});
