import type { FastifyInstance } from 'fastify';
import type { SignInInfo } from '../../../core/api/auth.js';
import { ROLES } from '../../../core/roles.js';
import type { Services } from '../../services.js';

export async function signInInfoRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/api/sign-in-info', async (): Promise<SignInInfo> => {
    const { config } = services;
    return {
      product: 'Vigie',
      version: services.version,
      demo: config.demo,
      secondFactorRelaxedFor: ROLES.filter((role) => !config.secondFactorRequiredRoles.includes(role)),
      siteName: config.siteName,
    };
  });
}
