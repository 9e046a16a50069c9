/**
 * A few SVG shapes, enough for the suite's timelines: our own because the
 * shapes are few and a charting library would bring a browser or a native
 * canvas; these render headless in Node as plain text.
 */

/** Okabe–Ito colours: told apart with every common colour-vision deficiency. */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  purple: '#CC79A7',
  grey: '#999999',
  ink: '#222222',
} as const;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export const rect = (x: number, y: number, w: number, h: number, fill: string, title?: string) =>
  `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(w, 0.5))}" height="${n(h)}" fill="${fill}">${title ? `<title>${escape(title)}</title>` : ''}</rect>`;

export const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, dash = false) =>
  `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="1"${dash ? ' stroke-dasharray="4 3"' : ''}/>`;

export const text = (x: number, y: number, content: string, opts: { anchor?: 'start' | 'middle' | 'end'; size?: number; fill?: string } = {}) =>
  `<text x="${n(x)}" y="${n(y)}" font-family="sans-serif" font-size="${opts.size ?? 11}" fill="${opts.fill ?? PALETTE.ink}" text-anchor="${opts.anchor ?? 'start'}">${escape(content)}</text>`;

export const svg = (width: number, height: number, body: readonly string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
  `<rect width="100%" height="100%" fill="#ffffff"/>${body.join('')}</svg>\n`;
