// The piece map: every piece of the torrent as a cell of a canvas, green when good, red when bad, grey
// when its data is not there. A torrent of a million pieces has more pieces than the canvas has cells:
// the host bins them (each cell shows the worst of its pieces), so the map costs the same for any
// torrent. Arrow keys, Home, End and Page keys move a cursor over the cells and the mouse points at them;
// the line under the map says which pieces the cell covers and how they fared.

import type { PieceCell, PieceCellDetail } from '../../src/shared/protocol/verify';
import { formatCount, plural } from '../../src/shared/format';
import { h } from '../common/dom';

export interface PieceMapSource {
  pieceMap(cells: number): Promise<string>;
  pieceCell(cells: number, cell: number): Promise<PieceCellDetail>;
}

/** Cell size and gap in CSS pixels (larger cells when every piece fits in one row), and at most this many rows: a map is a strip, not a page. */
const CELL = 8;
const LARGE_CELL = 16;
const GAP = 1;
const MAX_ROWS = 16;

export class PieceMap {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', {
    class: 'piece-map',
    attrs: { id: 'piece-map', tabindex: 0, role: 'img', 'aria-describedby': 'piece-detail' },
  });
  private readonly detail = h('div', { class: 'piece-detail', attrs: { id: 'piece-detail', 'aria-live': 'polite' } });
  /** Swatches of the legend: the canvas takes its colours from their computed styles (the theme's). */
  private readonly swatches: Record<PieceCell, HTMLElement> = {
    g: h('span', { class: 'swatch cell-good' }),
    b: h('span', { class: 'swatch cell-bad' }),
    m: h('span', { class: 'swatch cell-missing' }),
  };
  private readonly legendCounts: Record<PieceCell, HTMLElement> = { g: h('span'), b: h('span'), m: h('span') };
  private source: PieceMapSource | undefined;
  private pieceCount = 0;
  private map = '';
  private columns = 0;
  /** The cell size in use: LARGE_CELL for a torrent whose pieces all fit in one row of them. */
  private cell = CELL;
  private cursor = -1;
  private detailSerial = 0;
  private readonly resize = new ResizeObserver(() => this.layout());

  constructor() {
    const legend = h(
      'div',
      { class: 'legend', attrs: { id: 'piece-legend' } },
      h('span', { class: 'legend-item' }, this.swatches.g, h('span', { text: 'good ' }), this.legendCounts.g),
      h('span', { class: 'legend-item' }, this.swatches.b, h('span', { text: 'bad ' }), this.legendCounts.b),
      h('span', { class: 'legend-item' }, this.swatches.m, h('span', { text: 'not there ' }), this.legendCounts.m),
    );
    this.element = h('section', { class: 'map-section', attrs: { 'aria-label': 'Piece map' } }, this.canvas, legend, this.detail);
    this.canvas.addEventListener('keydown', (event) => this.onKeydown(event));
    this.canvas.addEventListener('mousemove', (event) => this.pointAt(event));
    this.canvas.addEventListener('click', (event) => this.pointAt(event));
    this.canvas.addEventListener('focus', () => this.moveTo(Math.max(0, this.cursor)));
    this.canvas.addEventListener('blur', () => this.draw());
    this.resize.observe(this.element);
  }

  /** Shows the map of a finished check (`source` answers for it), or nothing. */
  show(source: PieceMapSource | undefined, pieceCount: number, counts?: { good: number; bad: number; missing: number }): void {
    this.source = source;
    this.pieceCount = pieceCount;
    this.map = '';
    this.cursor = -1;
    this.detail.textContent = '';
    this.element.hidden = !source || pieceCount === 0;
    this.legendCounts.g.textContent = counts ? formatCount(counts.good) : '';
    this.legendCounts.b.textContent = counts ? formatCount(counts.bad) : '';
    this.legendCounts.m.textContent = counts ? formatCount(counts.missing) : '';
    this.canvas.setAttribute(
      'aria-label',
      counts
        ? `Piece map of ${plural(pieceCount, 'piece')}: ${formatCount(counts.good)} good, ${formatCount(counts.bad)} bad, ${formatCount(counts.missing)} not there. Arrow keys move over it.`
        : 'Piece map',
    );
    this.layout();
  }

  /** Sizes the canvas to its room and asks for that many cells. */
  private layout(): void {
    const source = this.source;
    if (!source || this.element.hidden) return;
    const width = Math.max(CELL, this.element.clientWidth);
    this.cell = this.pieceCount * (LARGE_CELL + GAP) <= width + GAP ? LARGE_CELL : CELL;
    const pitch = this.cell + GAP;
    const columns = Math.max(1, Math.floor((width + GAP) / pitch));
    const rows = Math.min(MAX_ROWS, Math.ceil(this.pieceCount / columns));
    const cells = Math.min(this.pieceCount, columns * rows);
    if (columns === this.columns && cells === this.map.length) return;
    this.columns = columns;
    void source.pieceMap(cells).then((map) => {
      if (source !== this.source) return;
      this.map = map;
      this.cursor = Math.min(this.cursor, map.length - 1);
      this.draw();
    });
  }

  /**
   * Draws at one canvas pixel per CSS pixel: the canvas's size comes from its width and height, as the
   * page's policy allows no style attribute. Solid cells need no more resolution than that.
   */
  private draw(): void {
    const { canvas, map, columns } = this;
    if (map.length === 0) return;
    const rows = Math.ceil(map.length / columns);
    const cell = this.cell;
    const pitch = cell + GAP;
    // As wide as the cells drawn: a torrent of a few pieces gets a short strip, not an empty band.
    canvas.width = Math.max(1, Math.min(columns, map.length) * pitch - GAP);
    canvas.height = Math.max(1, rows * pitch - GAP);
    canvas.dataset.cells = String(map.length);
    canvas.dataset.columns = String(columns);
    canvas.dataset.pitch = String(pitch);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const colour = (cell: PieceCell) => getComputedStyle(this.swatches[cell]).backgroundColor;
    const colours: Record<string, string> = { g: colour('g'), b: colour('b'), m: colour('m') };
    for (let c = 0; c < map.length; c++) {
      ctx.fillStyle = colours[map[c]] ?? colours.m;
      ctx.fillRect((c % columns) * pitch, Math.floor(c / columns) * pitch, cell, cell);
    }
    if (this.cursor >= 0 && document.activeElement === canvas) {
      ctx.strokeStyle = getComputedStyle(this.legendCounts.g).color;
      ctx.lineWidth = 2;
      ctx.strokeRect((this.cursor % columns) * pitch, Math.floor(this.cursor / columns) * pitch, cell, cell);
    }
  }

  private pointAt(event: MouseEvent): void {
    const box = this.canvas.getBoundingClientRect();
    const column = Math.floor((event.clientX - box.left) / (this.cell + GAP));
    const row = Math.floor((event.clientY - box.top) / (this.cell + GAP));
    const cell = row * this.columns + column;
    if (column >= 0 && column < this.columns && cell >= 0 && cell < this.map.length) this.moveTo(cell);
  }

  private onKeydown(event: KeyboardEvent): void {
    const n = this.map.length;
    if (n === 0) return;
    const at = Math.max(0, this.cursor);
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + this.columns,
      ArrowUp: at - this.columns,
      Home: 0,
      End: n - 1,
      PageDown: at + this.columns * 4,
      PageUp: at - this.columns * 4,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.moveTo(Math.max(0, Math.min(n - 1, moves[event.key])));
  }

  /** Puts the cursor on `cell` and says what it covers. */
  private moveTo(cell: number): void {
    const source = this.source;
    if (!source || this.map.length === 0) return;
    this.cursor = cell;
    this.draw();
    const serial = ++this.detailSerial;
    void source.pieceCell(this.map.length, cell).then((d) => {
      if (serial !== this.detailSerial) return;
      const range = d.first === d.last ? `Piece ${formatCount(d.first)}` : `Pieces ${formatCount(d.first)}–${formatCount(d.last)}`;
      const parts = [
        d.good ? `${formatCount(d.good)} good` : '',
        d.bad ? `${formatCount(d.bad)} bad` : '',
        d.missing ? `${formatCount(d.missing)} not there` : '',
      ];
      this.detail.textContent = `${range}: ${parts.filter(Boolean).join(', ')}`;
      this.detail.dataset.cell = String(cell);
    });
  }
}
