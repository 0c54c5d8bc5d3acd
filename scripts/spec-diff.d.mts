export declare const BASELINE: string;
export declare const SPEC: string;
/** The broken rule of the package/spec versioning policy, or undefined when both versions follow it. */
export declare function packageVersionProblem(packageVersion: string, specVersion: string): string | undefined;
