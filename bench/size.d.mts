export interface Size {
  minified: number;
  gzip: number;
  brotli: number;
}
export function bundleSize(source: string, resolveDir: string, plugins?: import('esbuild').Plugin[]): Promise<Size>;
export function tracerCost(resolveDir: string): Promise<Size>;
export const entries: Record<'client' | 'types' | 'forward' | 'elements' | 'otel' | 'openapi-fetch alone', string>;
export const layers: [string, string][];
export const CLIENT_GZIP_BUDGET: number;
export const ELEMENTS_GZIP_BUDGET: number;
export function bytesByModule(source: string, resolveDir: string): Promise<Record<string, number>>;
