// The swarm's pieces as a bar, as qBittorrent draws a torrent's availability: one stretch of the bar for each
// bucket of pieces, coloured by the copies of its rarest piece (the error colour where some piece has none, the
// theme's chart colour stronger with more copies). A canvas, drawn again when the panel is resized or the theme
// changes; its label says the same in words.

import { formatCount, plural } from '../../src/shared/format';
import { type SwarmState } from '../../src/shared/protocol/probe';
import { h } from '../common/dom';

const HEIGHT = 20;

export class PiecePicture {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { class: 'piece-picture', attrs: { id: 'piece-picture', role: 'img' } });
  private readonly legend = h('div', { class: 'legend muted', attrs: { id: 'piece-legend' } });
  private swarm: SwarmState | undefined;

  constructor() {
    this.element = h('div', { class: 'pieces' }, this.canvas, this.legend);
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    // A theme change restyles the body: draw with the new colours.
    new MutationObserver(() => this.draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  render(swarm: SwarmState | undefined): void {
    this.swarm = swarm;
    this.element.hidden = swarm === undefined;
    if (!swarm) return;
    const { picture, pieceCount } = swarm;
    const missing = picture.least.filter((c) => c === 0).length;
    const per = picture.bucketPieces === 1 ? 'one stretch a piece' : `one stretch for every ${formatCount(picture.bucketPieces)} pieces`;
    this.legend.textContent =
      swarm.peers === 0
        ? `${plural(pieceCount, 'piece')}: no peer has said what it has yet.`
        : `${plural(pieceCount, 'piece')}, ${per}; the stronger the colour, the more copies (at most ${formatCount(picture.mostCopies)}); ` +
          (missing === 0 ? 'every piece is held by a peer.' : `red: ${plural(missing, 'stretch', 'stretches')} with a piece no peer has.`);
    this.canvas.setAttribute(
      'aria-label',
      swarm.peers === 0
        ? 'Piece availability: nothing known yet'
        : `Piece availability: ${Math.round(swarm.availableFraction * 1000) / 10}% of the pieces are held by a peer; the rarest has ${plural(swarm.minCopies, 'copy', 'copies')}`,
    );
    this.draw();
  }

  private draw(): void {
    const swarm = this.swarm;
    const width = this.canvas.clientWidth;
    if (!swarm || width === 0) return;
    const scale = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * scale);
    this.canvas.height = Math.round(HEIGHT * scale);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const style = getComputedStyle(document.body);
    const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const none = color('--vscode-charts-red', color('--vscode-errorForeground', '#f14c4c'));
    const held = color('--vscode-charts-blue', '#3794ff');
    const empty = color('--vscode-editorWidget-background', '#252526');
    context.fillStyle = empty;
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const { least, mostCopies } = swarm.picture;
    const buckets = least.length;
    for (let i = 0; i < buckets; i++) {
      const x0 = Math.floor((i / buckets) * this.canvas.width);
      const x1 = Math.max(x0 + 1, Math.floor(((i + 1) / buckets) * this.canvas.width));
      if (swarm.peers === 0) continue;
      if (least[i] === 0) {
        context.globalAlpha = 1;
        context.fillStyle = none;
      } else {
        context.globalAlpha = 0.35 + 0.65 * (mostCopies > 1 ? (least[i] - 1) / (mostCopies - 1) : 1);
        context.fillStyle = held;
      }
      context.fillRect(x0, 0, x1 - x0, this.canvas.height);
    }
    context.globalAlpha = 1;
  }
}
