/** The token the CLI sends: $TALLY_TOKEN, else the first of $TALLY_ADMIN_TOKEN. */
export function tokenFromEnv(): string | undefined {
  const t = process.env.TALLY_TOKEN ?? process.env.TALLY_ADMIN_TOKEN?.split(',')[0];
  return t === undefined || t === '' ? undefined : t;
}
