import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** The width in CSS pixels of the element `ref` points at, kept up to date. */
export function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // ResizeObserver reports the first size after the browser's own layout; reading it here
    // instead would force a layout of the whole record page in the middle of React's commit.
    if (typeof ResizeObserver === 'undefined') {
      setWidth(Math.floor(el.getBoundingClientRect().width));
      return;
    }
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (Math.abs(old - w) >= 4 ? w : old));
    });
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
