// Types for spec-constraints.mjs, for the tests that import it.
export interface Constraints {
  servers: Record<string, string>;
  operations: Record<string, unknown>;
}
export interface Examples {
  card: Record<string, string>;
  responses: Record<string, Record<string, { example: unknown; headers: string[] }>>;
}
export function loadSpec(file: string): any;
export function resolver(spec: any): (node: any) => any;
export function extractConstraints(spec: any): Constraints;
export function renderConstraintsModule(constraints: Constraints, source: string): string;
export function extractExamples(spec: any): Examples;
export function renderExamplesModule(examples: Examples, source: string): string;
