import type { ReportView } from '../../core/api/reports.js';
import { HttpProblem } from '../http/httpProblem.js';

/**
 * A 409 that carries the report as it stands (core ReportConflict): the tab
 * whose save lost learns what won instead of overwriting it. The reports
 * routes' error handler adds `current` to the usual error body.
 */
export class ReportConflictError extends HttpProblem {
  constructor(
    message: string,
    readonly current: ReportView,
  ) {
    super(409, 'conflict', message);
  }
}
