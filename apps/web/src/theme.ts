// Light and dark themes: the saved choice, else the system's. index.html applies it before the
// first paint; this keeps it in step afterwards.

import { useEffect, useState } from 'preact/hooks';
import type { Theme } from './charts/palette.js';

const KEY = 'tally.theme';

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  window.dispatchEvent(new Event('tally-theme'));
}

export function useTheme(): Theme {
  const [theme, set] = useState(currentTheme);
  useEffect(() => {
    const update = (): void => set(currentTheme());
    window.addEventListener('tally-theme', update);
    return () => window.removeEventListener('tally-theme', update);
  }, []);
  return theme;
}
