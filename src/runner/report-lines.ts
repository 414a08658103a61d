/**
 * The `[usage]`/`[result]` line protocol lives in core (`src/core/protocol/report-lines.ts`);
 * this re-export keeps the runner's and the runtimes' old imports compiling.
 */
export {
  findResult,
  formatResultLine,
  formatUsageLine,
  parseResultLine,
  parseUsageLine,
  RESULT_TAG,
  USAGE_TAG,
} from '../core/protocol/report-lines.js';
