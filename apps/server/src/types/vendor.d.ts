// Minimal declarations for the two untyped dependencies, covering exactly what the server uses
// (no @types packages: one less dependency to keep in step).

declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }
    interface Statement<P extends unknown[] = unknown[]> {
      run(...params: P): RunResult;
      get(...params: P): unknown;
      all(...params: P): unknown[];
    }
    interface Database {
      prepare<P extends unknown[] = unknown[]>(sql: string): Statement<P>;
      exec(sql: string): Database;
      pragma(sql: string, options?: { simple?: boolean }): unknown;
      transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
      close(): Database;
      readonly open: boolean;
    }
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      timeout?: number;
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database;
  export default Database;
}

declare module 'snappyjs' {
  const snappy: {
    uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
    compress(input: Uint8Array): Uint8Array;
  };
  export default snappy;
}
