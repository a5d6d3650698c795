// Series colours that keep ≥ 3:1 contrast on both the light and the dark background.

const LIGHT = ['#1f6fd1', '#d2481f', '#168a4a', '#8a3fd1', '#b8860b', '#c2185b', '#00838f', '#5d6d7e'];
const DARK = ['#6cb4ff', '#ff8a65', '#5fd38d', '#c39bff', '#f2c94c', '#ff7eb6', '#4dd0e1', '#b0bec5'];

export type Theme = 'light' | 'dark';

export function seriesColor(index: number, theme: Theme): string {
  const p = theme === 'dark' ? DARK : LIGHT;
  return p[index % p.length]!;
}

export function chartTheme(theme: Theme): { axis: string; grid: string } {
  return theme === 'dark'
    ? { axis: '#c9d1d9', grid: 'rgba(201,209,217,0.12)' }
    : { axis: '#3b4252', grid: 'rgba(59,66,82,0.10)' };
}

/** The colour at `alpha` opacity (for the faint raw line under an EMA). */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
