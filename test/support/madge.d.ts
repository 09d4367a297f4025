// The part of madge's API (it ships no types) that test/package-graph.test.ts uses.
declare module 'madge' {
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
    detectiveOptions?: Record<string, Record<string, unknown>>;
    tsConfig?: string;
  }
  interface MadgeResult {
    /** Each import cycle, as the files in it (relative to `baseDir`). */
    circular(): string[][];
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
