/**
 * Latency and load over time as mermaid `xychart-beta` blocks, which GitHub renders natively in
 * job summaries and comments. Two charts on the same time axis rather than one: xychart has a
 * single y-axis, and p99 in milliseconds drawn against a VU count would flatten one of them.
 *
 * Long runs are downsampled to at most MAX_POINTS points by merging neighbouring samples; a merged
 * point keeps the worst p99 and the most VUs of its samples, so a spike is never averaged away.
 * Only numbers reach the chart source: titles and axis labels are fixed text, so no server-
 * provided string can break the mermaid syntax.
 */
import type { TimelineSample } from '../report/types.js';
import { isDrainSample } from './timeline-drain.js';

export const MAX_POINTS = 60;

interface Point {
  elapsedSecs: number;
  p99Ms: number;
  activeVus: number;
}

/** The two chart blocks, or [] when the timeline has fewer than two samples. */
export function renderTimelineCharts(timeline: readonly TimelineSample[]): string[] {
  // The drain interval has no VU level to draw (timeline-drain.ts); a bar chart has no gaps.
  const samples = timeline.filter((_, i) => !isDrainSample(timeline, i));
  if (samples.length < 2) return [];
  const points = downsample(samples);
  const first = points[0]?.elapsedSecs ?? 0;
  const last = points[points.length - 1]?.elapsedSecs ?? first;
  // A numeric x-axis spreads the points evenly from first to last: true for 2 s samples, except
  // a shorter final interval, which is close enough for a picture.
  const xAxis = `  x-axis "elapsed (s)" ${axisNumber(first)} --> ${axisNumber(Math.max(last, first + 1))}`;
  return [
    chart('p99 latency per interval (ms)', xAxis, '  y-axis "ms"', 'line', points, (p) => p.p99Ms),
    chart('active virtual users', xAxis, '  y-axis "VUs"', 'bar', points, (p) => p.activeVus),
  ];
}

function chart(
  title: string,
  xAxis: string,
  yAxis: string,
  kind: 'line' | 'bar',
  points: readonly Point[],
  value: (p: Point) => number,
): string {
  const values = points.map((p) => chartNumber(value(p))).join(', ');
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    xAxis,
    yAxis,
    `  ${kind} [${values}]`,
    '```',
  ].join('\n');
}

function downsample(timeline: readonly TimelineSample[]): Point[] {
  const size = Math.ceil(timeline.length / MAX_POINTS);
  const points: Point[] = [];
  for (let i = 0; i < timeline.length; i += size) {
    const group = timeline.slice(i, i + size);
    points.push({
      elapsedSecs: group[group.length - 1]?.elapsed_secs ?? 0,
      p99Ms: Math.max(...group.map((s) => s.p99_ms)),
      activeVus: Math.max(...group.map((s) => s.active_vus)),
    });
  }
  return points;
}

/** Finite, non-negative, at most 3 decimals (the report's precision); anything else is 0. */
function chartNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0';
  return String(Math.round(n * 1000) / 1000);
}

function axisNumber(n: number): string {
  return Number.isFinite(n) && n >= 0 ? String(Math.round(n)) : '0';
}
