/** `a,b c` → [a, b, c]: commas and/or white space (newlines too), as the `services` input and flag take. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
