export declare const BASELINE: string;
export declare const SPEC: string;
/** The broken rule of the package/spec versioning policy, or undefined when both versions follow it. */
export declare function packageVersionProblem(packageVersion: string, specVersion: string): string | undefined;
/** The broken rule between CHANGELOG.md's first entry and the package version, or undefined. */
export declare function changelogProblem(changelog: string, packageVersion: string): string | undefined;
