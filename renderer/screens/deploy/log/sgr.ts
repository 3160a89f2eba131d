// The text attributes a terminal keeps between SGR sequences (ESC [ … m): colours from the 16-
// and 256-colour palettes or 24-bit, and bold, dim, italic, underline, inverse. Immutable, so a
// checkpoint of the line index can keep the state at its first byte.

/** -1: the default colour; 0–255: palette index; TRUECOLOR + 0xRRGGBB: 24-bit colour. */
export type Colour = number;
export const DEFAULT_COLOUR = -1;
export const TRUECOLOR = 0x1000;

export const BOLD = 1;
export const DIM = 2;
export const ITALIC = 4;
export const UNDERLINE = 8;
export const INVERSE = 16;

export interface SgrState {
  readonly fg: Colour;
  readonly bg: Colour;
  readonly flags: number;
}

export const PLAIN: SgrState = { fg: DEFAULT_COLOUR, bg: DEFAULT_COLOUR, flags: 0 };

export function sameSgr(a: SgrState, b: SgrState): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.flags === b.flags;
}

const byte = (value: number | undefined): number | undefined => (value !== undefined && Number.isInteger(value) && value >= 0 && value <= 255 ? value : undefined);

/** An extended colour (38/48 …): `5;n` or `2;r;g;b`; answers the colour and how many parameters it used. */
function extendedColour(rest: readonly (number | undefined)[]): { colour: Colour | undefined; used: number } {
  if (rest[0] === 5) return { colour: byte(rest[1]), used: 2 };
  if (rest[0] === 2) {
    const [r, g, b] = [byte(rest[1]), byte(rest[2]), byte(rest[3])];
    return { colour: r === undefined || g === undefined || b === undefined ? undefined : TRUECOLOR + ((r << 16) | (g << 8) | b), used: 4 };
  }
  return { colour: undefined, used: rest.length };
}

/** Colon sub-parameters (ITU T.416: `38:2::r:g:b` or `38:2:r:g:b`, `38:5:n`). */
function colonColour(sub: readonly (number | undefined)[]): Colour | undefined {
  if (sub[1] === 5) return byte(sub[2]);
  if (sub[1] === 2 && sub.length >= 5) return extendedColour([2, ...sub.slice(-3)]).colour;
  return undefined;
}

const parseNumber = (text: string): number | undefined => (text === '' ? undefined : /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN);

/** The state after one SGR sequence with the given parameter string (the bytes between `ESC [` and `m`). */
export function applySgr(state: SgrState, params: string): SgrState {
  let { fg, bg, flags } = state;
  const groups = params === '' ? [''] : params.split(';');
  const values = groups.map((g) => (g.includes(':') ? undefined : parseNumber(g)));
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (group.includes(':')) {
      const sub = group.split(':').map(parseNumber);
      const colour = colonColour(sub);
      if (sub[0] === 38 && colour !== undefined) fg = colour;
      else if (sub[0] === 48 && colour !== undefined) bg = colour;
      else if (sub[0] === 4) flags = sub[1] === 0 ? flags & ~UNDERLINE : flags | UNDERLINE;
      continue;
    }
    const code = values[i] ?? 0;
    if (Number.isNaN(code)) continue;
    if (code === 0) ({ fg, bg, flags } = PLAIN);
    else if (code === 1) flags |= BOLD;
    else if (code === 2) flags |= DIM;
    else if (code === 3) flags |= ITALIC;
    else if (code === 4) flags |= UNDERLINE;
    else if (code === 7) flags |= INVERSE;
    else if (code === 22) flags &= ~(BOLD | DIM);
    else if (code === 23) flags &= ~ITALIC;
    else if (code === 24) flags &= ~UNDERLINE;
    else if (code === 27) flags &= ~INVERSE;
    else if (code >= 30 && code <= 37) fg = code - 30;
    else if (code === 39) fg = DEFAULT_COLOUR;
    else if (code >= 40 && code <= 47) bg = code - 40;
    else if (code === 49) bg = DEFAULT_COLOUR;
    else if (code >= 90 && code <= 97) fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) bg = code - 100 + 8;
    else if (code === 38 || code === 48) {
      const { colour, used } = extendedColour(values.slice(i + 1));
      if (colour !== undefined) {
        if (code === 38) fg = colour;
        else bg = colour;
      }
      i += used;
    }
  }
  if (fg === state.fg && bg === state.bg && flags === state.flags) return state;
  return fg === DEFAULT_COLOUR && bg === DEFAULT_COLOUR && flags === 0 ? PLAIN : { fg, bg, flags };
}

/** The CSS colour of a palette index above 15 or a 24-bit colour (the 16 base colours are theme classes). */
export function cssColour(colour: Colour): string | undefined {
  if (colour >= TRUECOLOR) {
    const rgb = colour - TRUECOLOR;
    return `rgb(${(rgb >> 16) & 255}, ${(rgb >> 8) & 255}, ${rgb & 255})`;
  }
  if (colour >= 16 && colour <= 231) {
    const n = colour - 16;
    const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(n / 36))}, ${level(Math.floor(n / 6) % 6)}, ${level(n % 6)})`;
  }
  if (colour >= 232 && colour <= 255) {
    const grey = 8 + (colour - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  return undefined;
}
