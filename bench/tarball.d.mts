export declare const TARBALL_BUDGET: number;
export interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}
export declare function pack(dir: string, destination?: string): Promise<PackReport>;
