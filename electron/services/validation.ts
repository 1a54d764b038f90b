import type { z } from 'zod';
import type { AppError } from '../../shared/contract/result';

/** Turns the first zod issue into an error value naming the field and the problem. */
export function zodErrorToAppError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  if (!issue) return { code: 'invalid_input', message: 'The request is not valid.' };
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    const where = field ? `${field}.` : '';
    return { code: 'invalid_input', message: `Unknown field ${keys.map((k) => where + k).join(', ')}.`, field: where + (keys[0] ?? '') };
  }
  if (!field) return { code: 'invalid_input', message: `The request ${issue.message}.` };
  return { code: 'invalid_input', message: `${field} ${issue.message}.`, field };
}
