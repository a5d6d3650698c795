/** The one report a metric makes when it first refuses a label set (DESIGN.md: background problems go to `onError`). */
export function seriesLimitError(
  kind: string,
  name: string,
  maxSeries: number,
  sortedNames: readonly string[],
  path: readonly string[],
): Error {
  const labels = sortedNames.map((n, i) => `${n}=${JSON.stringify(path[i])}`).join(', ');
  const error = new Error(
    `${kind} ${name}: series limit of ${maxSeries} reached; new label sets (first: {${labels}}) are dropped and counted in tally_sdk_series_dropped_total. Unbounded label values (ids, paths) are the usual cause.`,
  );
  error.name = 'SeriesLimitError';
  return error;
}
