export declare const BASELINE: string;
export declare const SPEC: string;
/** The broken rule of the package/spec versioning policy, or undefined when both versions follow it. */
export declare function packageVersionProblem(packageVersion: string, specVersion: string): string | undefined;
/** The broken rule between CHANGELOG.md's first entry and the package version, or undefined. */
export declare function changelogProblem(changelog: string, packageVersion: string): string | undefined;
/** Where the last release's package fields (`version`, `engines`) are kept. */
export declare const RELEASED_PACKAGE: string;
/** The broken rule when `engines.node` rises above the last release's without a major and a changelog item, or undefined. */
export declare function enginesProblem(
  current: { version: string; node?: string },
  released: { version: string; node?: string },
  changelog: string,
): string | undefined;
