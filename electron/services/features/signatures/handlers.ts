import type { FeatureHandlers } from '../../handler-types';
import { amendEntry } from './amend';
import { signEntry } from './service';

/**
 * Signing and amending. Both are audited by the handler (REQUEST_POLICY `handler`): the password
 * check counts failures in its own transaction (kept even though nothing is signed), then the
 * signature or amendment and its audit entry are written in one `store.write`.
 */
export const signatureHandlers: FeatureHandlers<'entries.sign' | 'entries.amend'> = {
  'entries.sign': (input, ctx) => signEntry(ctx, input),
  'entries.amend': (input, ctx) => amendEntry(ctx, input),
};
