import { z } from 'zod';

/**
 * Roles a user may hold; a user may hold several (e.g. a neuroradiologist is
 * often also a radiologist). A `requester` is a requesting site's emergency
 * physician: they write clinical requests for their own site's studies.
 */
export const ROLES = ['radiologist', 'neuroradiologist', 'admin', 'requester'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
