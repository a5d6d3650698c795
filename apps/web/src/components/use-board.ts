import { useEffect, useRef, useState } from 'preact/hooks';
import { MetricsBoard, type BoardConfig } from '../charts/metrics-board.js';

/** One MetricsBoard for the life of the page; later configs are passed to `update`. */
export function useBoard(config: BoardConfig): MetricsBoard {
  const [board] = useState(() => new MetricsBoard(config));
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    board.update(config);
  });
  useEffect(() => () => board.destroy(), [board]);
  return board;
}
