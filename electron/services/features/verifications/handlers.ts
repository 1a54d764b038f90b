import type { FeatureHandlers } from '../../handler-types';
import { awaitingVerifications, rejectEntry, verifyEntry } from './service';

/**
 * The independent double check. Verify and reject are audited by the handler (REQUEST_POLICY
 * `handler`): the password check counts failures in its own transaction, then the decision and its
 * audit entry are written in one `store.write`. The request itself is made by the record's write
 * handlers (request.ts).
 */
export const verificationHandlers: FeatureHandlers<'verifications.list' | 'verifications.verify' | 'verifications.reject'> = {
  'verifications.list': (input, ctx) => awaitingVerifications(ctx, input),
  'verifications.verify': (input, ctx) => verifyEntry(ctx, input),
  'verifications.reject': (input, ctx) => rejectEntry(ctx, input),
};
