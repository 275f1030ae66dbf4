/**
 * Findings as a SARIF 2.1.0 log, for github/codeql-action/upload-sarif: one run, the lint's rules
 * (with help links to docs/rules) and every finding with its file and region.
 */
import { RULE_REGISTRY } from '../rules/registry.js';
import { TOOL_VERSION } from '../report/model.js';
import type { Finding } from '../report/model.js';
import { messageWithConfirmation } from './confirmation.js';

/** The project's repository: the one the README's `uses: image-budget/image-budget@v1` names. */
export const PROJECT_URL = 'https://github.com/image-budget/image-budget';

/**
 * Where docs/rules/<id>.md is served by default (the CLI): the tag of this version, so a rule's page
 * is the one that matches the finding, not whatever `main` says later. The action passes the URL of
 * the repository and ref it runs from (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF).
 */
export const DEFAULT_DOCS_BASE = `${PROJECT_URL}/blob/v${TOOL_VERSION}/`;

export function toSarif(
  findings: Finding[],
  toolVersion: string,
  docsBase: string = DEFAULT_DOCS_BASE,
): object {
  const DOCS_BASE = docsBase.endsWith('/') ? docsBase : `${docsBase}/`;
  const INFO_URI = DOCS_BASE.replace(/\/blob\/[^/]+\/$/, '');
  const all = RULE_REGISTRY;
  const known = new Map(all.map((r) => [r.id, r]));
  const ids = [...all.map((r) => r.id)];
  for (const f of findings) if (!known.has(f.rule) && !ids.includes(f.rule)) ids.push(f.rule);
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => {
    const meta = known.get(id);
    const rule: Record<string, unknown> = {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: meta?.description ?? `Custom pattern ${id}` },
      defaultConfiguration: { level: meta?.severity ?? 'warning' },
    };
    if (meta) {
      rule.helpUri = `${DOCS_BASE}${meta.docs}`;
      rule.help = { text: `See ${meta.docs}`, markdown: `See [${meta.docs}](${DOCS_BASE}${meta.docs})` };
    }
    return rule;
  });
  const results = findings.map((f) => {
    const region: Record<string, number> = { startLine: Math.max(1, f.line ?? 1) };
    if (f.endLine) region.endLine = f.endLine;
    if (f.column) region.startColumn = f.column;
    if (f.endColumn && f.column && f.endColumn > f.column) region.endColumn = f.endColumn;
    const message = messageWithConfirmation(f);
    const text = f.fix ? `${message}. Fix: ${f.fix}` : message;
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: f.severity,
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
            region,
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${f.rule}:${f.file}:${f.line ?? 0}` },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'image-budget', version: toolVersion, informationUri: INFO_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results,
      },
    ],
  };
}
