import { z } from 'zod';

/** Placeholder shape until tele-files land (issue 4): the worklist is empty but real. */
export const WorklistItem = z.object({ id: z.string() });
export const WorklistResponse = z.object({ items: z.array(WorklistItem), asOf: z.string() });
export type WorklistResponse = z.infer<typeof WorklistResponse>;
