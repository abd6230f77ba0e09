import type { RateTables } from '../../src/modules/law/rate-tables.js'

/**
 * The published rates, as the law_rates migration seeds them, for tests of the pure computation
 * (the application reads them from the database: law-rates.repository.ts).
 */
export const PUBLISHED_RATE_TABLES: RateTables = {
  ecbRefinancing: [
    { from: '2016-03-16', rate: '0' },
    { from: '2022-07-27', rate: '0.5' },
    { from: '2022-09-14', rate: '1.25' },
    { from: '2022-11-02', rate: '2' },
    { from: '2022-12-21', rate: '2.5' },
    { from: '2023-02-08', rate: '3' },
    { from: '2023-03-22', rate: '3.5' },
    { from: '2023-05-10', rate: '3.75' },
    { from: '2023-06-21', rate: '4' },
    { from: '2023-08-02', rate: '4.25' },
    { from: '2023-09-20', rate: '4.5' },
    { from: '2024-06-12', rate: '4.25' },
    { from: '2024-09-18', rate: '3.65' },
    { from: '2024-10-23', rate: '3.4' },
    { from: '2024-12-18', rate: '3.15' },
    { from: '2025-02-05', rate: '2.9' },
    { from: '2025-03-12', rate: '2.65' },
    { from: '2025-04-23', rate: '2.4' },
    { from: '2025-06-11', rate: '2.15' },
  ],
  legalInterest: [
    { from: '2022-01-01', rate: '0.76' },
    { from: '2022-07-01', rate: '0.77' },
    { from: '2023-01-01', rate: '2.06' },
    { from: '2023-07-01', rate: '4.22' },
    { from: '2024-01-01', rate: '5.07' },
    { from: '2024-07-01', rate: '4.92' },
    { from: '2025-01-01', rate: '3.71' },
    { from: '2025-07-01', rate: '2.76' },
  ],
}
