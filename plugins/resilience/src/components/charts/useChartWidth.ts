import useMeasure, { UseMeasureRef } from 'react-use/esm/useMeasure';

// Before the first measurement, and in tests, which have no layout.
const FALLBACK_WIDTH = 800;

/**
 * The width of the element the ref is put on, so that a chart's SVG coordinates are its pixels
 * and its text keeps its size at any width.
 */
export function useChartWidth(): [UseMeasureRef<HTMLDivElement>, number] {
  const [ref, rect] = useMeasure<HTMLDivElement>();
  return [ref, rect.width > 0 ? rect.width : FALLBACK_WIDTH];
}
