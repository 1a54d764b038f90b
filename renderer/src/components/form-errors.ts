/** The first message for each field, keyed by the field's top-level name, worded as main words them. */
export function firstErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '');
    if (!(key in out)) out[key] = issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + '.';
  }
  return out;
}
