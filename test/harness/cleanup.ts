/**
 * Runs every clean-up step even when some fail, in order, then throws one
 * AggregateError naming all failures: a failed stop must not leave the next
 * process or directory behind.
 */
export async function cleanUpAll(steps: ReadonlyArray<() => Promise<unknown> | unknown>): Promise<void> {
  const problems: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new AggregateError(problems, 'cleanup failed');
}
