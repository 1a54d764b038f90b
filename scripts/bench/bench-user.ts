/** The clinician the benchmark's seed creates where the console has accounts, and signs in as. */
export const BENCH_USER = { username: 'bench', password: 'bench-password-2026' } as const;
