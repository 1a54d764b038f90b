import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** The last width measured: the charts of the next record start from it (the same page, the same width). */
let lastWidth = 0;

/**
 * The charts' width, measured while the record is still loading (ChartWidthProbe): laying out the
 * small loading page then costs almost nothing, where measuring in the record's own render forces
 * a layout of the whole record (about 10 ms for a long one).
 */
export function rememberChartWidth(width: number): void {
  if (width > 0) lastWidth = width;
}

/**
 * The width in CSS pixels of the element `ref` points at, kept up to date. It starts from the last
 * width seen (or measured by ChartWidthProbe) and ResizeObserver corrects it; with none, it is read
 * as the element is laid out, so the charts draw without waiting a frame for ResizeObserver.
 */
export function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(lastWidth);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = (w: number) => {
      lastWidth = w;
      setWidth((old) => (Math.abs(old - w) >= 4 ? w : old));
    };
    if (lastWidth === 0 || typeof ResizeObserver === 'undefined') set(Math.floor(el.getBoundingClientRect().width));
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => set(Math.floor(entries[0]?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface ChartColors {
  fg: string;
  muted: string;
  accent: string;
  danger: string;
  warn: string;
  border: string;
  card: string;
}

const FALLBACK: ChartColors = { fg: '#1b1f24', muted: '#5b6470', accent: '#0b5cad', danger: '#a8071a', warn: '#8a5a00', border: '#d0d5dc', card: '#ffffff' };

function readColors(): ChartColors {
  if (typeof document === 'undefined') return FALLBACK;
  const style = getComputedStyle(document.documentElement);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: get('--fg', FALLBACK.fg),
    muted: get('--muted', FALLBACK.muted),
    accent: get('--accent', FALLBACK.accent),
    danger: get('--danger', FALLBACK.danger),
    warn: get('--warn', FALLBACK.warn),
    border: get('--border', FALLBACK.border),
    card: get('--card', FALLBACK.card),
  };
}

/**
 * The theme colours of `styles.css` resolved to values (SVG attributes do not take CSS variables),
 * read again when the light / dark preference changes.
 */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState<ChartColors>(readColors);
  useEffect(() => {
    const mq = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    if (!mq) return;
    const onChange = () => setColors(readColors());
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return colors;
}

/**
 * Whether the pointer has been over an element yet: charts mount their recharts tooltip only then
 * (a tooltip is a costly part of a chart's first draw, and only a pointer shows it).
 */
export function useHovered(): [boolean, { onPointerEnter: () => void }] {
  const [hovered, setHovered] = useState(false);
  return [hovered, { onPointerEnter: () => setHovered(true) }];
}
