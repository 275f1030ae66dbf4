/**
 * Findings as workflow annotations (file and line, so they show on the PR diff). The caller passes
 * the sink (@actions/core in the action), so this module stays free of the Actions toolkit. Every
 * string goes through `annotationText` (the one escaping module): nothing invisible, no control
 * character, bounded; `@actions/core` then escapes the workflow-command syntax.
 */
import { annotationText } from './escape.js';
import type { Finding } from '../report/model.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface AnnotationSink {
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
}

/** GitHub shows at most 10 errors and 10 warnings per step; the rest are still counted in the report. */
export function annotate(findings: Finding[], sink: AnnotationSink): void {
  for (const f of findings) {
    const props: AnnotationProperties = {
      title: annotationText(`image-budget: ${f.rule}`, 200, false),
      file: annotationText(f.file, 4096, false),
    };
    if (f.line) {
      props.startLine = f.line;
      props.endLine = f.endLine ?? f.line;
      // Columns are only allowed on single-line annotations.
      if (f.column && props.endLine === f.line) {
        props.startColumn = f.column;
        if (f.endColumn) props.endColumn = f.endColumn;
      }
    }
    const message = annotationText(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message);
    if (f.severity === 'error') sink.error(message, props);
    else if (f.severity === 'warning') sink.warning(message, props);
    else sink.notice(message, props);
  }
}
