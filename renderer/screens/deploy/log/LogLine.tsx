// One line of output: styled runs as React text (never HTML), colours as classes of the theme's
// ANSI palette or, for 256-colour and 24-bit colours, as CSSOM style values.
import type { CSSProperties } from 'react';
import { t, formatBytes } from '../../../i18n/t';
import type { RenderedLine, StyledRun } from './renderLines';
import { BOLD, cssColour, DEFAULT_COLOUR, DIM, INVERSE, ITALIC, UNDERLINE, type Colour, type SgrState } from './sgr';

function colourProps(colour: Colour, kind: 'fg' | 'bg'): { className?: string; value?: string } {
  if (colour === DEFAULT_COLOUR) return {};
  if (colour < 16) return { className: `ansi-${kind}-${colour}` };
  const value = cssColour(colour);
  return value === undefined ? {} : { value };
}

export function runProps(sgr: SgrState): { className: string | undefined; style: CSSProperties | undefined } {
  const inverse = (sgr.flags & INVERSE) !== 0;
  const fg = colourProps(inverse ? sgr.bg : sgr.fg, 'fg');
  const bg = colourProps(inverse ? sgr.fg : sgr.bg, 'bg');
  const classes: string[] = [];
  if (fg.className !== undefined) classes.push(fg.className);
  if (bg.className !== undefined) classes.push(bg.className);
  if (inverse && sgr.bg === DEFAULT_COLOUR) classes.push('ansi-fg-inverse');
  if (inverse && sgr.fg === DEFAULT_COLOUR) classes.push('ansi-bg-inverse');
  if ((sgr.flags & BOLD) !== 0) classes.push('ansi-bold');
  if ((sgr.flags & DIM) !== 0) classes.push('ansi-dim');
  if ((sgr.flags & ITALIC) !== 0) classes.push('ansi-italic');
  if ((sgr.flags & UNDERLINE) !== 0) classes.push('ansi-underline');
  const style: CSSProperties = {};
  if (fg.value !== undefined) style.color = fg.value;
  if (bg.value !== undefined) style.backgroundColor = bg.value;
  return { className: classes.length === 0 ? undefined : classes.join(' '), style: fg.value === undefined && bg.value === undefined ? undefined : style };
}

function Run({ run }: { readonly run: StyledRun }) {
  const { className, style } = runProps(run.sgr);
  if (className === undefined && style === undefined) return <>{run.text}</>;
  return (
    <span className={className} style={style}>
      {run.text}
    </span>
  );
}

export function LogLine({ number, line, current }: { readonly number: number; readonly line: RenderedLine | undefined; readonly current: boolean }) {
  return (
    <div className={current ? 'log-line current' : 'log-line'} data-line={number}>
      <span className="log-gutter" aria-hidden="true">
        {number}
      </span>
      <span className="log-text">
        {line === undefined ? (
          <span className="muted">{t('deploy.log.lineLoading')}</span>
        ) : (
          line.runs.map((run, i) => <Run key={i} run={run} />)
        )}
        {line !== undefined && line.hiddenBytes > 0 && <span className="log-hidden"> {t('deploy.log.lineCut', { size: formatBytes(line.hiddenBytes) })}</span>}
      </span>
    </div>
  );
}
