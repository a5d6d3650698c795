/**
 * Where a MetricsLogger pushes and for which job: the option, else Tally's variable, else the
 * one gradient-utils reads. gradient-utils falls back to a hard-coded in-cluster URL and to
 * parsing HOSTNAME (crashing when it is unset); Tally says instead exactly what it looked at.
 */
export const URL_VARIABLES = ['TALLY_URL', 'PAPERSPACE_METRIC_PUSHGATEWAY'] as const;
export const JOB_ID_VARIABLES = ['TALLY_JOB_ID', 'PAPERSPACE_METRIC_WORKLOAD_ID'] as const;
export const TOKEN_VARIABLE = 'TALLY_TOKEN';

export class MetricsLoggerConfigError extends Error {
  override readonly name = 'MetricsLoggerConfigError';
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

export interface PushTarget {
  readonly url: string;
  readonly jobId: string;
  readonly token: string | undefined;
}

export function resolvePushTarget(
  options: { readonly url?: string; readonly jobId?: string; readonly token?: string },
  env: NodeJS.ProcessEnv,
): PushTarget {
  const url = options.url ?? firstSet(env, URL_VARIABLES);
  const jobId = options.jobId ?? firstSet(env, JOB_ID_VARIABLES);
  const missing: string[] = [];
  if (url === undefined) missing.push(`no push URL: pass { url } or set ${URL_VARIABLES.join(' or ')}`);
  if (jobId === undefined) missing.push(`no job id: pass { jobId } or set ${JOB_ID_VARIABLES.join(' or ')}`);
  if (missing.length > 0) {
    throw new MetricsLoggerConfigError(`MetricsLogger: ${missing.join('; ')} (none of these is set)`);
  }
  return { url: url!, jobId: jobId!, token: options.token ?? firstSet(env, [TOKEN_VARIABLE]) };
}
