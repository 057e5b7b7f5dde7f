/** The currencies money is moved in: payout runs and the ledger offer these. */

/** The currencies payouts are run in (one batch per currency). */
export const CURRENCIES = ['USD', 'EUR'] as const;
export type PayoutCurrency = (typeof CURRENCIES)[number];
