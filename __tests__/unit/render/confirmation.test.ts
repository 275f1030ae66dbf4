/**
 * Issue 12: a lint finding the built image confirms shows it briefly in every renderer (terminal,
 * SARIF, annotations; the comment's in markdown-gfm.test.ts), escaped like every other string; an
 * image finding's own evidence is its message and is not repeated.
 */
import { describe, expect, it } from 'vitest';
import { findingAnnotation } from '../../../src/render/annotations.js';
import { confirmationText } from '../../../src/render/confirmation.js';
import { renderFindingsText } from '../../../src/render/findings.js';
import { toSarif } from '../../../src/render/sarif.js';
import { renderTerminal } from '../../../src/render/terminal.js';
import type { Finding } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';
import { WEIGHTS_EVIDENCE } from '../../support/evidence.js';

const confirmed: Finding = {
  rule: 'model-download-in-build',
  severity: 'warning',
  file: 'ml/Dockerfile',
  line: 12,
  message: '`hf_hub_download(...)`: the weights are baked into a layer',
  fix: 'download at start-up',
  source: 'lint',
  imageEvidence: WEIGHTS_EVIDENCE,
};
const CLAUSE = 'confirmed by the image: 420MB, 3 files in /root/.cache/huggingface';

const sarifText = (f: Finding): string =>
  (toSarif([f], '0.1.0') as { runs: { results: { message: { text: string } }[] }[] }).runs[0]!.results[0]!
    .message.text;
const renderers: [string, (f: Finding) => string][] = [
  ['the findings list', (f) => renderFindingsText([f], { wide: true })],
  [
    'the terminal report',
    (f) => renderTerminal(report([service('ml', 10, { findings: [f] })]), { wide: true }),
  ],
  ['SARIF', sarifText],
  ['an annotation', (f) => findingAnnotation(f).message],
];

describe('the confirmation in each renderer', () => {
  it.each(renderers)('%s says it once, after the message', (_name, render) => {
    const text = render(confirmed);
    expect(text.toLowerCase().split(CLAUSE.toLowerCase()).length - 1).toBe(1);
    expect(text.indexOf(confirmed.message)).toBeLessThan(text.toLowerCase().indexOf(CLAUSE.toLowerCase()));
  });

  it.each(renderers)('%s: not for an image finding, nor for a finding without evidence', (_name, render) => {
    expect(render({ ...confirmed, source: 'image' })).not.toContain('confirmed by the image');
    expect(render({ ...confirmed, imageEvidence: undefined })).not.toContain('confirmed by the image');
  });

  it('annotations put it on its own line, between the message and the fix', () => {
    expect(findingAnnotation(confirmed).message).toBe(
      `${confirmed.message}\nConfirmed by the image: 420MB, 3 files in /root/.cache/huggingface\nFix: download at start-up`,
    );
  });

  it('SARIF puts it before the fix', () => {
    expect(sarifText(confirmed)).toBe(`${confirmed.message} (${CLAUSE}). Fix: download at start-up`);
  });

  it('a hostile path is cleaned in the terminal and the annotation like any other string', () => {
    const path = '/root/\u001b[31mred\u202e\u0007';
    const hostile = { ...confirmed, imageEvidence: { ...confirmed.imageEvidence!, path } };
    expect(confirmationText(hostile)).toContain(path);
    const terminal = renderTerminal(report([service('ml', 10, { findings: [hostile] })]), { wide: true });
    for (const char of ['\u001b', '\u202e', '\u0007']) {
      expect(terminal).not.toContain(char);
      expect(findingAnnotation(hostile).message).not.toContain(char);
    }
  });
});
