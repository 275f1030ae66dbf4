/** The comment's per-service growth: size, pull size, build time, wasted bytes, peak disk, and the layers that grew most. */
import type { ReportDiff, ServiceDiff } from '../report/diff.js';
import { codeSpan } from './escape.js';
import { formatBytes, formatDuration } from '../report/format.js';
import type { LayerInfo } from '../report/model.js';
import {
  MAX_GREW_LAYERS,
  MAX_GREW_SERVICES,
  MAX_INSTRUCTION,
  deltaText,
  e,
  failingFirst,
  int,
  msDelta,
  name,
} from './markdown-kit.js';
import { instructionText } from '../measure/history.js';

/** A head layer and how much it grew: against the base layer with the same instruction, or all of it. */
export interface LayerGrowth {
  layer: LayerInfo;
  /** Bytes more than the base's layer of the same instruction (its whole size when `added`). */
  growth: number;
  /** No base layer among the base's largest has this instruction. */
  added: boolean;
}

/**
 * The layers of `head` that grew most against `base` (both `largestLayers`, matched by their
 * normalized instruction, in order when one repeats), largest growth first, at most `count`, each at
 * least `threshold` bytes.
 */
export function layersThatGrew(
  base: readonly LayerInfo[],
  head: readonly LayerInfo[],
  threshold: number,
  count = MAX_GREW_LAYERS,
): LayerGrowth[] {
  const pool = new Map<string, LayerInfo[]>();
  for (const l of base) {
    const key = instructionText(l.createdBy);
    pool.set(key, [...(pool.get(key) ?? []), l]);
  }
  const out: LayerGrowth[] = [];
  for (const layer of head) {
    const before = pool.get(instructionText(layer.createdBy))?.shift();
    const growth = layer.size - (before?.size ?? 0);
    if (growth >= threshold && growth > 0) out.push({ layer, growth, added: !before });
  }
  return out.sort((a, b) => b.growth - a.growth).slice(0, count);
}

/** For each changed service: the deltas in full, the layers that grew most, the peak build disk. */
export function grewDetails(diff: ReportDiff): string | undefined {
  const changed = failingFirst(
    diff.services.filter((s) => s.change === 'changed' && s.base && s.head),
    (s) => s.head,
  );
  if (changed.length === 0) return undefined;
  const sections = changed
    .map((s) => serviceGrew(s, diff.noiseThreshold))
    .filter((x): x is string => x !== undefined)
    .slice(0, MAX_GREW_SERVICES);
  return sections.length > 0 ? sections.join('\n\n') : undefined;
}

export function serviceGrew(s: ServiceDiff, threshold: number): string | undefined {
  const base = s.base!;
  const head = s.head!;
  const summary = [
    `${name(head, s.name)}: ${deltaText(s.size, 1, true)}`,
    ...(s.compressedSize.delta !== undefined
      ? [`pull ${formatBytes(s.compressedSize.delta, { signed: true })}`]
      : []),
    ...(s.buildTime.delta !== undefined && Math.abs(s.buildTime.delta) >= 1000
      ? [`build ${msDelta(s.buildTime)}`]
      : []),
  ].join(' · ');
  const rows = ['| | Base | Head | Δ |', '| :-- | --: | --: | --: |'];
  const bytesRow = (label: string, b: number | undefined, h: number | undefined) => {
    if (b === undefined && h === undefined) return;
    const d = b !== undefined && h !== undefined ? formatBytes(h - b, { signed: true }) : '';
    rows.push(
      `| ${label} | ${b !== undefined ? formatBytes(b) : '—'} | ${h !== undefined ? formatBytes(h) : '—'} | ${d} |`,
    );
  };
  bytesRow('Size', s.size.base, s.size.head);
  bytesRow('Pull', s.compressedSize.base, s.compressedSize.head);
  if (s.buildTime.base !== undefined || s.buildTime.head !== undefined) {
    const b = s.buildTime.base;
    const h = s.buildTime.head;
    rows.push(
      `| Build time | ${b !== undefined ? formatDuration(b) : '—'} | ${h !== undefined ? formatDuration(h) : '—'} | ${msDelta(s.buildTime)} |`,
    );
  }
  bytesRow('Wasted', base.image?.wastedBytes, head.image?.wastedBytes);
  bytesRow('Peak build disk', base.build?.peakDiskBytes, head.build?.peakDiskBytes);
  const grew = layersThatGrew(base.image?.largestLayers ?? [], head.image?.largestLayers ?? [], threshold);
  // Size and build time alone say no more than the table.
  if (rows.length <= 4 && grew.length === 0) return undefined;
  const out = [`<details><summary>${summary}</summary>`, '', ...rows];
  if (grew.length > 0 && base.image?.largestLayers !== undefined) {
    out.push('', '**Layers that grew most**', '');
    for (const g of grew) {
      const amount = g.added
        ? `**${formatBytes(g.layer.size)}**, new`
        : `**${formatBytes(g.growth, { signed: true })}** to ${formatBytes(g.layer.size)}`;
      const where =
        g.layer.line !== undefined
          ? ` · ${e(`${head.dockerfile ?? 'Dockerfile'}:${int(g.layer.line)}`, 200)}`
          : '';
      const instruction = instructionText(g.layer.createdBy);
      out.push(`- ${amount}${where} · ${codeSpan(instruction || '(no instruction)', MAX_INSTRUCTION)}`);
    }
  }
  out.push('', '</details>');
  return out.join('\n');
}
