import type { Table } from './table.js';

/** What each measure hands back to run.ts: tables to print, figures for --json, findings to flag. */
export interface MeasureReport<F> {
  readonly tables: readonly Table[];
  readonly figures: F;
  /** Things that look wrong in the product (not in the bench), stated with their evidence. */
  readonly findings: readonly string[];
}

/** Prints progress to stderr, so stdout stays the tables (or clean JSON with --json). */
export type Progress = (line: string) => void;
