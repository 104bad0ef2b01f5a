// The raw bencode tree: every value of the file with its type, size and byte span `[start, end)`.
//
// Long things are split so that no row and no message grows with the file: a list or dictionary with
// more than GROUP children shows groups of GROUP; a long binary string (the 25 MB `pieces` of a big
// torrent) shows one row per hash (20 bytes for `pieces`, 32 for `piece layers`, 32-byte hex lines
// otherwise), again in groups. Strings that read as text are shown as text, through redaction.

import type { BencodeDocument, Token } from '../../core/bencode/decode';
import { decodeUtf8Strict } from '../../core/text/bytes';
import type { Secrets } from '../../core/privacy/secrets';
import type { Badge, ShownText } from '../../shared/protocol/editor';
import { hexPreview, shownText } from '../format';
import { exactBytes, formatCount, formatSpan, plural } from '../../shared/format';
import type { RowContent, TreeModel } from '../tree/visible-rows';

/** Children per group, for long lists, dictionaries and hash lists. */
export const GROUP = 1000;
/** Binary strings longer than one line can be expanded into lines of hex. */
const HEX_LINE = 32;
/** Text longer than this is not decoded whole to decide whether it is text. */
const TEXT_PROBE = 4096;

/** What a value is, where the tree cares: hash lists are cut by hash, not by 32-byte line. */
type Role = 'plain' | 'pieces' | 'layers' | 'layer';

export type RawNode =
  | { kind: 'root' }
  | { kind: 'value'; token: Token; key: Token; position: number; role: Role }
  | { kind: 'group'; token: Token; group: number; role: Role }
  | { kind: 'line'; token: Token; line: number; role: Role };

const ROOT: RawNode = { kind: 'root' };

export interface RawTreeOptions {
  /** The torrent's secrets, hidden in every string shown unless they are shown. */
  secrets: Secrets;
  /** For a partial document: the offset where decoding stopped; containers still open there are marked. */
  stoppedAt?: number;
}

/** What a byte string looks like: text to print, or bytes to show as hex. */
interface StringLook {
  text?: ShownText;
}

export class BencodeModel implements TreeModel<RawNode> {
  readonly root: RawNode = ROOT;
  private readonly childCache = new Map<Token, { keys?: Int32Array; values: Int32Array }>();
  private readonly lookCache = new Map<Token, StringLook>();

  constructor(
    readonly document: BencodeDocument,
    private readonly options: RawTreeOptions,
  ) {}

  childCount(node: RawNode): number {
    switch (node.kind) {
      case 'root':
        return this.document.count > 0 ? 1 : 0;
      case 'value': {
        if (this.document.isBytes(node.token)) {
          const lines = this.lineCount(node.token, node.role);
          return lines > GROUP ? Math.ceil(lines / GROUP) : lines;
        }
        const n = this.items(node.token).values.length;
        return n > GROUP ? Math.ceil(n / GROUP) : n;
      }
      case 'group': {
        const total = this.document.isBytes(node.token) ? this.lineCount(node.token, node.role) : this.items(node.token).values.length;
        return Math.min(GROUP, total - node.group * GROUP);
      }
      case 'line':
        return 0;
    }
  }

  child(node: RawNode, position: number): RawNode {
    switch (node.kind) {
      case 'root':
        return { kind: 'value', token: 0, key: -1, position: 0, role: 'plain' };
      case 'value': {
        if (this.document.isBytes(node.token)) {
          return this.lineCount(node.token, node.role) > GROUP
            ? { kind: 'group', token: node.token, group: position, role: node.role }
            : { kind: 'line', token: node.token, line: position, role: node.role };
        }
        return this.items(node.token).values.length > GROUP
          ? { kind: 'group', token: node.token, group: position, role: node.role }
          : this.itemNode(node.token, position, node.role);
      }
      case 'group': {
        const index = node.group * GROUP + position;
        return this.document.isBytes(node.token)
          ? { kind: 'line', token: node.token, line: index, role: node.role }
          : this.itemNode(node.token, index, node.role);
      }
      case 'line':
        throw new RangeError('a line of bytes has no children');
    }
  }

  expandable(node: RawNode): boolean {
    switch (node.kind) {
      case 'root':
      case 'group':
        return true;
      case 'line':
        return false;
      case 'value': {
        const doc = this.document;
        if (doc.isDict(node.token) || doc.isList(node.token)) return doc.size(node.token) > 0;
        if (doc.isBytes(node.token))
          return this.isHashList(node.token, node.role) || (doc.size(node.token) > HEX_LINE && this.look(node.token).text === undefined);
        return false;
      }
    }
  }

  content(node: RawNode): RowContent {
    switch (node.kind) {
      case 'root':
        return { icon: 'dict', label: { text: 'root', utf8: true } };
      case 'value':
        return this.valueContent(node);
      case 'group':
        return this.groupContent(node);
      case 'line':
        return this.lineContent(node);
    }
  }

  /** Row id of the deepest row whose bytes contain `offset`, or undefined when the offset is outside the data. */
  idForOffset(offset: number): string | undefined {
    const doc = this.document;
    // Where decoding stopped, the innermost container still open is the place to look at.
    if (this.options.stoppedAt !== undefined && offset >= this.options.stoppedAt) return this.idForInnermostOpen();
    if (doc.count === 0 || offset < doc.start(0) || offset >= Math.max(doc.end(0), doc.start(0) + 1)) {
      // A partial document ends where decoding stopped; point at the root, which holds that place.
      return doc.count > 0 && offset >= doc.start(0) ? '0' : undefined;
    }
    const path: number[] = [0];
    let token: Token = 0;
    let role: Role = 'plain';
    for (;;) {
      if (doc.isBytes(token)) {
        if (this.expandable({ kind: 'value', token, key: -1, position: 0, role }) && offset >= doc.contentStart(token)) {
          const line = Math.floor((offset - doc.contentStart(token)) / this.lineWidth(role));
          const lines = this.lineCount(token, role);
          if (line < lines) path.push(...(lines > GROUP ? [Math.floor(line / GROUP), line % GROUP] : [line]));
        }
        break;
      }
      if (!doc.isDict(token) && !doc.isList(token)) break;
      const { keys, values } = this.items(token);
      // The last entry that starts at or before the offset (its key, for dictionaries).
      const starts = keys ?? values;
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (doc.start(starts[mid]) <= offset) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      if (i < 0 || offset >= doc.end(values[i])) break;
      path.push(...(values.length > GROUP ? [Math.floor(i / GROUP), i % GROUP] : [i]));
      role = this.childRole(token, i, role);
      token = values[i];
    }
    return path.join('.');
  }

  /** Row id of the innermost container left open when decoding stopped (or of the root). */
  private idForInnermostOpen(): string | undefined {
    const doc = this.document;
    if (doc.count === 0) return undefined;
    const last = doc.count - 1;
    const path: number[] = [0];
    let best = '0';
    let token: Token = 0;
    while (doc.isDict(token) || doc.isList(token)) {
      const { keys, values } = this.items(token);
      let lo = 0;
      let hi = values.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((keys ? keys[mid] : values[mid]) <= last) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      // A dictionary that stopped after a key has no entry for it: the dictionary is the place.
      if (i < 0 || last >= doc.next(values[i])) break;
      path.push(...(values.length > GROUP ? [Math.floor(i / GROUP), i % GROUP] : [i]));
      token = values[i];
      if (this.leftOpen(token)) best = path.join('.');
    }
    return best;
  }

  /** Row id of a value token (a dictionary key stands for its entry). */
  idForToken(target: Token): string | undefined {
    const doc = this.document;
    if (target < 0 || target >= doc.count) return undefined;
    const path: number[] = [0];
    let token: Token = 0;
    while (token !== target) {
      if (!doc.isDict(token) && !doc.isList(token)) return undefined;
      const { keys, values } = this.items(token);
      // Values (and keys) increase with position; find the entry whose key or value subtree holds the target.
      let lo = 0;
      let hi = values.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((keys ? keys[mid] : values[mid]) <= target) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      if (i < 0 || target >= doc.next(values[i])) return undefined;
      path.push(...(values.length > GROUP ? [Math.floor(i / GROUP), i % GROUP] : [i]));
      if (keys && target === keys[i]) break;
      token = values[i];
    }
    return path.join('.');
  }

  /** The text a row's copy action puts on the clipboard. */
  copyText(node: RawNode): string | undefined {
    const doc = this.document;
    if (node.kind === 'line') {
      const { start, end } = this.lineSpan(node.token, node.line, node.role);
      return hexPreview(doc.data.subarray(start, end), end - start);
    }
    if (node.kind !== 'value') return undefined;
    if (doc.isInt(node.token)) return String(doc.int(node.token));
    if (doc.isBytes(node.token)) {
      const look = this.look(node.token);
      if (look.text && look.text.omitted === undefined) return look.text.text;
      return doc.size(node.token) <= 4096 ? hexPreview(doc.bytes(node.token), 4096) : undefined;
    }
    return undefined;
  }

  /** Whether a container was still open when decoding stopped (it holds the last value decoded). */
  private leftOpen(t: Token): boolean {
    const doc = this.document;
    const last = doc.count - 1;
    return (
      this.options.stoppedAt !== undefined &&
      (doc.isDict(t) || doc.isList(t)) &&
      doc.end(t) === this.options.stoppedAt &&
      t <= last &&
      last < doc.next(t)
    );
  }

  private itemNode(container: Token, index: number, role: Role): RawNode {
    const { keys, values } = this.items(container);
    return {
      kind: 'value',
      token: values[index],
      key: keys ? keys[index] : -1,
      position: index,
      role: this.childRole(container, index, role),
    };
  }

  private childRole(container: Token, index: number, role: Role): Role {
    if (role === 'layers') return 'layer';
    const { keys } = this.items(container);
    if (!keys) return 'plain';
    const key = keys[index];
    if (this.document.keyEquals(key, 'pieces')) return 'pieces';
    if (this.document.keyEquals(key, 'piece layers')) return 'layers';
    return 'plain';
  }

  private items(container: Token): { keys?: Int32Array; values: Int32Array } {
    let cached = this.childCache.get(container);
    if (cached) return cached;
    const doc = this.document;
    if (doc.isDict(container)) {
      const entries = doc.entries(container);
      const keys = new Int32Array(entries.length);
      const values = new Int32Array(entries.length);
      for (let i = 0; i < entries.length; i++) {
        keys[i] = entries[i][0];
        values[i] = entries[i][1];
      }
      cached = { keys, values };
    } else if (doc.isList(container)) {
      cached = { values: Int32Array.from(doc.children(container)) };
    } else {
      cached = { values: new Int32Array(0) };
    }
    this.childCache.set(container, cached);
    return cached;
  }

  private isHashList(token: Token, role: Role): boolean {
    return (role === 'pieces' || role === 'layer') && this.document.size(token) > this.lineWidth(role);
  }

  private lineWidth(role: Role): number {
    return role === 'pieces' ? 20 : 32;
  }

  private lineCount(token: Token, role: Role): number {
    return Math.ceil(this.document.size(token) / this.lineWidth(role));
  }

  private lineSpan(token: Token, line: number, role: Role): { start: number; end: number } {
    const width = this.lineWidth(role);
    const start = this.document.contentStart(token) + line * width;
    return { start, end: Math.min(this.document.end(token), start + width) };
  }

  /** Whether a byte string reads as text, and the text to show. */
  private look(token: Token): StringLook {
    let look = this.lookCache.get(token);
    if (look) return look;
    look = {};
    const doc = this.document;
    const size = doc.size(token);
    const bytes = doc.bytes(token).subarray(0, Math.min(size, TEXT_PROBE));
    let text = decodeUtf8Strict(bytes);
    // A probe cut in the middle of a character: drop the partial character.
    for (let trim = 1; text === undefined && size > TEXT_PROBE && trim <= 3; trim++)
      text = decodeUtf8Strict(bytes.subarray(0, bytes.length - trim));
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (text !== undefined && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) {
      look.text = this.shown(text, true, size > TEXT_PROBE ? size - bytes.length : 0);
    } else if (text === undefined && size <= 255 && mostlyAsciiText(bytes)) {
      // Not UTF-8 but plainly text in a legacy 8-bit encoding: shown as latin-1 and marked.
      look.text = this.shown(String.fromCharCode(...bytes), false, 0);
    }
    this.lookCache.set(token, look);
    return look;
  }

  private shown(text: string, utf8: boolean, bytesLeftOut: number): ShownText {
    const shown = shownText({ text: this.options.secrets.redact(text), utf8 });
    if (bytesLeftOut > 0) shown.omitted = (shown.omitted ?? 0) + bytesLeftOut;
    return shown;
  }

  private keyLabel(key: Token): { label: ShownText; badges?: Badge[] } {
    const look = this.look(key);
    if (look.text) return { label: look.text };
    return {
      label: { text: hexPreview(this.document.bytes(key), 64), utf8: true },
      badges: [{ text: 'hex', title: 'This key is not text; its bytes are shown in hex.', tone: 'muted' }],
    };
  }

  private valueContent(node: Extract<RawNode, { kind: 'value' }>): RowContent {
    const doc = this.document;
    const t = node.token;
    const span: [number, number] = [doc.start(t), doc.end(t)];
    let label: ShownText;
    const badges: Badge[] = [];
    if (node.key >= 0) {
      const key = this.keyLabel(node.key);
      label = key.label;
      if (key.badges) badges.push(...key.badges);
    } else {
      label = { text: t === 0 ? 'root' : `[${node.position}]`, utf8: true };
    }
    if (this.leftOpen(t))
      badges.push({
        text: 'not closed',
        title: `Decoding stopped at byte ${formatCount(span[1])} before this ${doc.kind(t) === 'list' ? 'list' : 'dictionary'} was closed.`,
        tone: 'error',
      });
    const base = { label, span, detailTitle: `bytes ${formatSpan(span[0], span[1])}` };
    switch (doc.kind(t)) {
      case 'dict':
        return { ...base, icon: 'dict', detail: `dict · ${plural(doc.size(t), 'entry', 'entries')}`, badges: orNone(badges) };
      case 'list':
        return { ...base, icon: 'list', detail: `list · ${plural(doc.size(t), 'item')}`, badges: orNone(badges) };
      case 'int':
        return { ...base, icon: 'int', value: { text: String(doc.int(t)), utf8: true }, detail: 'int', badges: orNone(badges) };
      case 'bytes': {
        const size = doc.size(t);
        const look = this.look(t);
        let detail = `bytes · ${formatCount(size)}`;
        let value: ShownText;
        if (look.text && !this.isHashList(t, node.role)) {
          value = look.text;
        } else {
          value = { text: hexPreview(doc.bytes(t), this.expandable(node) ? 8 : HEX_LINE), utf8: true };
          if (node.role === 'pieces' || node.role === 'layer') {
            const width = this.lineWidth(node.role);
            detail += ` · ${plural(Math.floor(size / width), 'hash', 'hashes')}`;
            if (size % width !== 0)
              badges.push({
                text: `not a multiple of ${width}`,
                title: `${exactBytes(size % width)} left over after the last whole hash.`,
                tone: 'warning',
              });
          }
        }
        return { ...base, icon: 'bytes', value, detail, badges: orNone(badges), actions: ['copy'] };
      }
    }
  }

  private groupContent(node: Extract<RawNode, { kind: 'group' }>): RowContent {
    const doc = this.document;
    const first = node.group * GROUP;
    const count = this.childCount(node);
    const last = first + count - 1;
    if (doc.isBytes(node.token)) {
      const from = this.lineSpan(node.token, first, node.role).start;
      const to = this.lineSpan(node.token, last, node.role).end;
      const hashes = node.role === 'pieces' || node.role === 'layer';
      return {
        icon: 'chunk',
        label: {
          text: hashes
            ? `hashes ${formatCount(first)} … ${formatCount(last)}`
            : `bytes ${formatCount(from - doc.contentStart(node.token))} … ${formatCount(to - doc.contentStart(node.token) - 1)}`,
          utf8: true,
        },
        detail: hashes ? plural(count, 'hash', 'hashes') : plural(to - from, 'byte'),
        span: [from, to],
        detailTitle: `bytes ${formatSpan(from, to)}`,
      };
    }
    const { values, keys } = this.items(node.token);
    const from = doc.start(keys ? keys[first] : values[first]);
    const to = doc.end(values[last]);
    return {
      icon: 'chunk',
      label: { text: `[${formatCount(first)} … ${formatCount(last)}]`, utf8: true },
      detail: keys ? plural(count, 'entry', 'entries') : plural(count, 'item'),
      span: [from, to],
      detailTitle: `bytes ${formatSpan(from, to)}`,
    };
  }

  private lineContent(node: Extract<RawNode, { kind: 'line' }>): RowContent {
    const { start, end } = this.lineSpan(node.token, node.line, node.role);
    const hashes = node.role === 'pieces' || node.role === 'layer';
    const within = start - this.document.contentStart(node.token);
    const label = hashes
      ? node.role === 'pieces'
        ? `piece ${formatCount(node.line)}`
        : `#${formatCount(node.line)}`
      : `+${formatCount(within)}`;
    const badges: Badge[] | undefined =
      hashes && end - start < this.lineWidth(node.role)
        ? [{ text: 'incomplete', title: `Only ${end - start} of ${this.lineWidth(node.role)} bytes.`, tone: 'warning' }]
        : undefined;
    return {
      icon: hashes ? 'hash' : 'bytes',
      label: { text: label, utf8: true },
      value: { text: hexPreview(this.document.data.subarray(start, end), end - start), utf8: true },
      span: [start, end],
      detailTitle: `bytes ${formatSpan(start, end)}`,
      badges,
      actions: ['copy'],
    };
  }
}

function orNone<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

function mostlyAsciiText(bytes: Uint8Array): boolean {
  let ascii = 0;
  for (const b of bytes) {
    if (b < 0x20 || (b >= 0x7f && b < 0xa0)) return false;
    if (b < 0x7f) ascii++;
  }
  return ascii * 10 >= bytes.length * 6;
}
