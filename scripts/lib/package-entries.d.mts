// Types for package-entries.mjs, for the tests that import it.
export interface RuntimeEntry {
  subpath: string;
  esm: string;
  types: string;
  cjs: string;
  cjsTypes: string;
  nodeImport: string;
}
export declare function runtimeEntries(exportsMap: Record<string, unknown>): RuntimeEntry[];
export declare function withCommonJs(exportsMap: Record<string, unknown>): Record<string, unknown>;
