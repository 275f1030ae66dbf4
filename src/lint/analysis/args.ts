/**
 * ARG and ENV values as BuildKit sets them (https://docs.docker.com/build/building/variables/):
 * a build arg the build passes wins over an ARG's default; an ARG with neither is declared and not
 * set (`null`: it expands to the empty string, not to something unknown). An ARG before the first
 * FROM reaches a stage only where the stage declares it again; ENV lasts into the stages built on
 * it. Also which build arg an ENV was set from, so that a branch on the ENV names the build arg.
 */
import { type ParsedDockerfile, type VarValue, parseAssignments, substitute } from '../dockerfile.js';

/**
 * The platform args BuildKit sets by itself (https://docs.docker.com/build/building/variables/#pre-defined-build-arguments),
 * for the linux/amd64 runner a CI build uses unless told otherwise.
 */
const PLATFORM_ARGS: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
};

/** A variable reference: `$X`, `${X}`, `${X:-w}`. */
const VAR_RE = /\$\{?([A-Za-z_]\w*)/g;

export class BuildArgs {
  /** The ARGs before the first FROM, as the build sets them. */
  private readonly globals = new Map<string, VarValue>();

  constructor(
    df: ParsedDockerfile,
    private readonly given: Readonly<Record<string, string>> | undefined,
  ) {
    // A build arg over the default (expanded with the ones before it), else the platform's own.
    for (const [k, v] of df.globalArgs)
      this.globals.set(
        k,
        this.passed(k) ?? (v !== undefined ? substitute(v, this.globals) : (PLATFORM_ARGS[k] ?? null)),
      );
  }

  /** A build arg the build passes (compose `build.args`), if any. */
  private passed(name: string): string | undefined {
    return this.given && Object.hasOwn(this.given, name) ? this.given[name] : undefined;
  }

  /**
   * A stage's `ARG NAME=default …` into `args` (the stage's ARGs) and `vars` (what the rest of the
   * instruction sees, where no ENV of that name hides it). Each value: a build arg wins; then the
   * default, expanded; then the ARG of that name before the first FROM, one declared earlier in the
   * stage, or the platform's own; with none of them the ARG is declared and not set.
   */
  declare(
    body: string,
    args: Map<string, VarValue>,
    vars: Map<string, VarValue>,
    env: ReadonlyMap<string, VarValue>,
  ): void {
    for (const [k, def] of parseAssignments(body, true)) {
      const inherited = this.globals.get(k);
      const value =
        this.passed(k) ??
        (def !== undefined
          ? substitute(def, vars)
          : typeof inherited === 'string'
            ? inherited
            : (args.get(k) ?? PLATFORM_ARGS[k] ?? null));
      args.set(k, value);
      if (!env.has(k)) vars.set(k, value);
    }
  }
}

/**
 * The build arg an ENV value is set from (`ENV USE_CUDA_DOCKER=${USE_CUDA}`): the first ARG it
 * names, or the build arg behind an ENV it names.
 */
export function argFrom(
  value: string,
  args: ReadonlyMap<string, VarValue>,
  argOf: ReadonlyMap<string, string>,
): string | undefined {
  for (const m of value.matchAll(VAR_RE)) {
    const name = m[1]!;
    const behind = argOf.get(name) ?? (args.has(name) ? name : undefined);
    if (behind) return behind;
  }
  return undefined;
}
