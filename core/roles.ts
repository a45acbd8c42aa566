import { z } from 'zod';

/** Roles a user may hold; a user may hold several (e.g. a neuroradiologist is often also a radiologist). */
export const ROLES = ['radiologist', 'neuroradiologist', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
