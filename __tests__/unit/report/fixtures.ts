/** Small report builders for the budget, diff and markdown tests. */
import type { Report, ServiceReport } from '../../../src/report/model.js';

const MB = 1_000_000;

export function service(
  name: string,
  sizeMB: number | undefined,
  extra: Partial<ServiceReport> = {},
): ServiceReport {
  const s: ServiceReport = { name, built: sizeMB !== undefined, findings: [], violations: [], ...extra };
  if (sizeMB !== undefined && !extra.image) {
    s.image = { id: `sha256:${name}`, size: Math.round(sizeMB * MB), layers: 10 };
  }
  if (sizeMB !== undefined && !extra.build) s.build = { status: 'success', durationMs: 60_000 };
  return s;
}

export function report(services: ServiceReport[], extra: Partial<Report> = {}): Report {
  const measured = services.filter((s) => s.image);
  const compressed = measured.map((s) => s.image?.compressedSize).filter((n): n is number => n !== undefined);
  return {
    schemaVersion: 2,
    tool: { name: 'image-budget', version: '0.1.0' },
    createdAt: '2025-01-02T03:04:05.000Z',
    services,
    totals: {
      services: services.length,
      built: services.filter((s) => s.built).length,
      failed: services.filter((s) => s.build?.status === 'failed').length,
      size: measured.reduce((a, s) => a + (s.image?.size ?? 0), 0),
      ...(compressed.length > 0 && { compressedSize: compressed.reduce((a, b) => a + b, 0) }),
      buildDurationMs: services.reduce((a, s) => a + (s.build?.durationMs ?? 0), 0),
      findings: { error: 0, warning: 0, note: 0 },
      violations: 0,
    },
    violations: [],
    errors: [],
    ...extra,
  };
}

export { MB };
