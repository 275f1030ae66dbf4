/**
 * A lint finding that the built image confirms (`imageEvidence`, pipeline/confirm.ts), in words:
 * `confirmed by the image: 420MB, 3 files in /models/bge-m3`. Raw text: each renderer
 * escapes it with the others (render/escape.ts); an image finding's own evidence is its message
 * already.
 */
import { formatBytes } from '../report/format.js';
import type { Finding } from '../report/model.js';

export interface Confirmation {
  /** `420MB`. */
  bytes: string;
  /** `/root/.cache/huggingface`, as the report holds it. */
  path: string;
  /** `, 3 files`, or nothing for one file. */
  files: string;
}

export function confirmationOf(f: Finding): Confirmation | undefined {
  const evidence = f.imageEvidence;
  if (!evidence || f.source === 'image') return undefined;
  const files = Number.isSafeInteger(evidence.files) && evidence.files > 1 ? `, ${evidence.files} files` : '';
  return { bytes: formatBytes(evidence.bytes), path: evidence.path, files };
}

/** `confirmed by the image: 420MB, 3 files in /models/bge-m3`, or nothing. */
export function confirmationText(f: Finding): string | undefined {
  const c = confirmationOf(f);
  return c ? `confirmed by the image: ${c.bytes}${c.files} in ${c.path}` : undefined;
}

/** The message followed by its confirmation (`… (confirmed by the image: …)`), for plain-text renderers. */
export function messageWithConfirmation(f: Finding): string {
  const c = confirmationText(f);
  return c ? `${f.message} (${c})` : f.message;
}
