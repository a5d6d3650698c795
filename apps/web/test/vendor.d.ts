// snappyjs ships no types; the screenshots' remote-write backfill uses only `compress`.
declare module 'snappyjs' {
  const snappy: { compress(input: Uint8Array): Uint8Array<ArrayBuffer> };
  export default snappy;
}
