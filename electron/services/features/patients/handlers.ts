import { fail, ok } from '../../../../shared/contract/result';
import type { FeatureHandlers } from '../../handler-types';

export const patientHandlers: FeatureHandlers<'patients.create' | 'patients.list'> = {
  'patients.create': (input, ctx) => {
    const store = ctx.store;
    return store.write(() => {
      if (store.patients.findByMrn(input.mrn)) {
        return fail('conflict', `A patient with MRN ${input.mrn} already exists.`, 'mrn');
      }
      return ok(store.patients.create(input, ctx.now()));
    });
  },
  'patients.list': (input, ctx) => ok(ctx.store.patients.list(input.query, input.limit ?? 200)),
};
