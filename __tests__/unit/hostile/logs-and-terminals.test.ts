/**
 * Issue 16, finding 8: finding lines reached the job log unescaped (a folder named
 * `x\n::warning title=…::` became a real workflow command), and `lint` printed terminal escape
 * sequences raw.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cli } from '../../../src/cli/main.js';
import { actionsLog, commandSafe, printable } from '../../../src/util/log.js';

afterEach(() => vi.restoreAllMocks());

/** What @actions/core writes to stdout while `fn` runs, line by line. */
function stdoutOf(fn: () => void): string[] {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  fn();
  vi.restoreAllMocks();
  return chunks.join('').split(/\r?\n/);
}

/** A line the runner would read as a workflow command (leading spaces are trimmed). */
const isCommand = (line: string) => /^\s*::[a-z-]+/i.test(line);

describe('every line logged through @actions/core is command-safe', () => {
  test.each([
    ['x\n::warning title=pwned::gotcha', 'x%0A::warning title=pwned::gotcha'],
    ['::error::forged', ':%3Aerror::forged'],
    ['   ::add-mask::x', '   :%3Aadd-mask::x'],
    ['::stop-commands::token', ':%3Astop-commands::token'],
    ['a\r::set-output name=x::y', 'a%0D::set-output name=x::y'],
    ['100%0A::warning::x', '100%250A::warning::x'],
    ['##[error]spoofed', '##%5Berror]spoofed'],
    ['plain line: a::b', 'plain line: a::b'],
  ])('%j → %j', (input, output) => {
    expect(commandSafe(input)).toBe(output);
  });

  test.each([
    'svc/x\n::warning title=pwned::gotcha/Dockerfile:1: warning rule: message',
    '::error file=a,line=1::forged',
    '\n\n::add-mask::secret',
    'x\r\n::group::y',
  ])('through actionsLog(core).info, %j writes no command', (line) => {
    const log = actionsLog(core);
    const written = stdoutOf(() => log.info(line));
    expect(written.filter(isCommand)).toEqual([]);
    expect(written.filter(Boolean)).toHaveLength(1);
  });

  test('warnings, errors and group names are escaped by core itself', () => {
    const log = actionsLog(core);
    const written = stdoutOf(() => {
      log.warning('a\n::error::b');
      log.error('c\n::warning::d');
    });
    expect(written.filter(Boolean)).toEqual(['::warning::a%0A::error::b', '::error::c%0A::warning::d']);
  });
});

describe('nothing the CLI prints carries a control character', () => {
  test.each([
    ['ESC sequences', 'red \u001b[31mX\u001b[0m', 'red ?[31mX?[0m'],
    ['an OSC title', '\u001b]0;pwned\u0007', '?]0;pwned?'],
    ['a C1 CSI', 'a\u009b2Jb', 'a?2Jb'],
    ['a carriage return', 'ok\rFAIL', 'ok?FAIL'],
    ['a backspace', 'abc\b\b\bxyz', 'abc???xyz'],
    ['bidi overrides', 'a\u202eb\u2066c', 'abc'],
    ['line feeds and tabs stay', 'a\n\tb\r\n', 'a\n\tb\n'],
  ])('%s', (_name, input, output) => expect(printable(input)).toBe(output));

  test('lint of a folder whose name holds escape sequences', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ib-term-'));
    const dir = path.join(root, 'svc\u001b]0;pwned\u0007\u001b[2J');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python\nRUN pip install torch\n');
    const out: string[] = [];
    const code = await cli(['lint', dir], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      env: {},
      cwd: root,
    });
    const text = out.join('');
    expect(text).toContain('svc?]0;pwned??[2J');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect([0, 1]).toContain(code);
  });
});
