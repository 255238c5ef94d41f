import path from 'node:path';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { Translate } from '../../../i18n';
import { dayLabel } from '../../../shared/vietnam-period';
import type { WeekFigures } from '../../../domain/stats/report-tally';

/** Where things are drawn, exported so a spec can look inside the plot area of the decoded image. */
export const CHART = { width: 1200, height: 640, plot: { left: 80, top: 80, right: 1120, bottom: 500 } } as const;

/** One colour per reporting group, in the order of config/categories.json; the ratio line is green. */
export const GROUP_COLOURS = ['#7b3fa0', '#c0392b', '#e67e22', '#2471a3', '#7f8c8d', '#16a085', '#d4ac0d'];
export const RATIO_COLOUR = '#1e8449';
const FONT = 'TinBaoSans';

let fontsLoaded = false;

/**
 * Noto Sans from the @fontsource package (its Latin, Latin Extended and
 * Vietnamese subsets under one family), so the chart's Vietnamese labels
 * render the same on every machine and in the Docker image, with no system
 * fonts installed.
 */
function loadFonts(): void {
  if (fontsLoaded) return;
  const dir = path.join(path.dirname(require.resolve('@fontsource/noto-sans/package.json')), 'files');
  for (const subset of ['latin', 'latin-ext', 'vietnamese']) {
    for (const weight of ['400', '700']) GlobalFonts.registerFromPath(path.join(dir, `noto-sans-${subset}-${weight}-normal.woff2`), FONT);
  }
  fontsLoaded = true;
}

export interface ChartInput {
  title: string;
  weeks: WeekFigures[];
  groups: readonly string[];
  t: Translate;
}

/** Tips per week as bars stacked by reporting group, with the valuable ratio as a line on a 0–100 % axis. PNG. */
export function weeklyChart({ title, weeks, groups, t }: ChartInput): Buffer {
  loadFonts();
  const canvas = createCanvas(CHART.width, CHART.height);
  const g = canvas.getContext('2d');
  const { left, top, right, bottom } = CHART.plot;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, CHART.width, CHART.height);
  g.fillStyle = '#1b2631';
  g.font = `700 22px ${FONT}`;
  g.fillText(title, left, 44);

  const most = Math.max(0, ...weeks.map((w) => w.total));
  const step = niceStep(most);
  const yMax = Math.max(step, Math.ceil(most / step) * step);
  const y = (value: number) => bottom - (value / yMax) * (bottom - top);
  axes(g, yMax, step, y, t);

  const slot = (right - left) / Math.max(1, weeks.length);
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  weeks.forEach((week, i) => {
    const x = left + slot * i + (slot - barWidth) / 2;
    let base = 0;
    groups.forEach((group, gi) => {
      const n = week.byGroup[group] ?? 0;
      if (n === 0) return;
      g.fillStyle = GROUP_COLOURS[gi % GROUP_COLOURS.length];
      g.fillRect(x, y(base + n), barWidth, y(base) - y(base + n));
      base += n;
    });
  });
  weekLabels(g, weeks, slot);
  ratioLine(g, weeks, slot);
  if (most === 0) {
    g.fillStyle = '#566573';
    g.font = `400 20px ${FONT}`;
    g.textAlign = 'center';
    g.fillText(t('stats.chart.empty'), (left + right) / 2, (top + bottom) / 2);
    g.textAlign = 'left';
  }
  legend(g, groups, t);
  return canvas.toBuffer('image/png');
}

function axes(g: SKRSContext2D, yMax: number, step: number, y: (v: number) => number, t: Translate): void {
  const { left, top, right, bottom } = CHART.plot;
  g.font = `400 14px ${FONT}`;
  g.lineWidth = 1;
  for (let v = 0; v <= yMax; v += step) {
    g.strokeStyle = v === 0 ? '#566573' : '#e5e8e8';
    g.beginPath();
    g.moveTo(left, y(v));
    g.lineTo(right, y(v));
    g.stroke();
    g.fillStyle = '#566573';
    g.textAlign = 'right';
    g.fillText(String(v), left - 8, y(v) + 5);
  }
  for (let pct = 0; pct <= 100; pct += 25) {
    g.textAlign = 'left';
    g.fillStyle = RATIO_COLOUR;
    g.fillText(`${pct}%`, right + 8, bottom - (pct / 100) * (bottom - top) + 5);
  }
  g.textAlign = 'left';
  g.fillStyle = '#566573';
  g.fillText(t('stats.chart.tips'), left - 60, top - 14);
  g.fillStyle = RATIO_COLOUR;
  g.textAlign = 'right';
  g.fillText(t('stats.chart.ratio'), CHART.width - 24, top - 14);
  g.textAlign = 'left';
}

/** Week start dates under the bars, as many as fit without overlapping. */
function weekLabels(g: SKRSContext2D, weeks: WeekFigures[], slot: number): void {
  const { left, bottom } = CHART.plot;
  g.font = `400 13px ${FONT}`;
  g.fillStyle = '#566573';
  g.textAlign = 'center';
  const every = Math.max(1, Math.ceil(48 / slot));
  weeks.forEach((week, i) => {
    if (i % every === 0) g.fillText(dayLabel(week.start).slice(0, 5), left + slot * i + slot / 2, bottom + 22);
  });
  g.textAlign = 'left';
}

function ratioLine(g: SKRSContext2D, weeks: WeekFigures[], slot: number): void {
  const { left, top, bottom } = CHART.plot;
  const points = weeks
    .map((w, i) => (w.total > 0 ? { x: left + slot * i + slot / 2, y: bottom - (w.valuable / w.total) * (bottom - top) } : null))
    .filter((p): p is { x: number; y: number } => p !== null);
  g.strokeStyle = RATIO_COLOUR;
  g.fillStyle = RATIO_COLOUR;
  g.lineWidth = 3;
  g.beginPath();
  points.forEach((p, i) => (i === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
  g.stroke();
  for (const p of points) {
    g.beginPath();
    g.arc(p.x, p.y, 4, 0, Math.PI * 2);
    g.fill();
  }
}

function legend(g: SKRSContext2D, groups: readonly string[], t: Translate): void {
  g.font = `400 15px ${FONT}`;
  let x = CHART.plot.left;
  let y = CHART.plot.bottom + 62;
  const entries = [...groups.map((group, i) => ({ label: t(`group.${group}`), colour: GROUP_COLOURS[i % GROUP_COLOURS.length], line: false })), { label: t('stats.chart.ratio'), colour: RATIO_COLOUR, line: true }];
  for (const entry of entries) {
    const width = 26 + g.measureText(entry.label).width + 28;
    if (x + width > CHART.width - 20) {
      x = CHART.plot.left;
      y += 28;
    }
    g.fillStyle = entry.colour;
    if (entry.line) g.fillRect(x, y - 7, 18, 4);
    else g.fillRect(x, y - 13, 18, 16);
    g.fillStyle = '#1b2631';
    g.fillText(entry.label, x + 26, y);
    x += width;
  }
}

/** A round step for the count axis: 1, 2 or 5 times a power of ten, about five lines. */
function niceStep(max: number): number {
  if (max <= 5) return 1;
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
}
