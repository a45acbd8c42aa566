import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Services } from '../services.js';
import { installErrorHandler, installNotFoundHandler } from './errorHandler.js';
import { HttpProblem } from './httpProblem.js';
import { DEFAULT_WEB_ROOT, registerWebClient } from './webClient.js';
import { adminUserRoutes } from './routes/adminUsers.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { signInInfoRoutes } from './routes/signInInfo.js';
import { worklistRoutes } from './routes/worklist.js';
import { teleFileRoutes } from './routes/teleFiles.js';
import { organisationRoutes } from './routes/organisation.js';
import { dicomWebRoutes } from './routes/dicomWeb.js';
import { preferenceRoutes } from './routes/preferences.js';
import { priorsRoutes } from './routes/priors.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { reportRoutes } from './routes/reports.js';
import { reportTemplateRoutes } from './routes/reportTemplates.js';
import { macroRoutes } from './routes/macros.js';

/**
 * Builds the HTTP app: external plugins first (security headers, cookies, rate
 * limit), then the error handler, then the routes, then the web client, whose
 * fallback must come last so it never hides an API route.
 */
export async function buildApp(services: Services, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: services.config.trustProxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    // WADO-RS frame lists ("1,2,3,…") are longer than the default 100 characters.
    routerOptions: { maxParamLength: 1000 },
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // COOP + COEP make the page cross-origin isolated: SharedArrayBuffer for the image decoders (viewer).
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest('auth', null);

  // A cookie-borne session must not be usable from another site's page (SameSite=Strict is the first guard; this is the second).
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const origin = request.headers.origin;
    if (origin && origin !== 'null') {
      const host = request.headers.host;
      let originHost: string | null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost !== host) throw new HttpProblem(403, 'forbidden', 'This request comes from another site and was refused.');
    }
  });

  installErrorHandler(app);
  const options = { services };
  await app.register(healthRoutes, options);
  await app.register(signInInfoRoutes, options);
  await app.register(authRoutes, options);
  await app.register(meRoutes, options);
  await app.register(worklistRoutes, options);
  await app.register(teleFileRoutes, options);
  await app.register(organisationRoutes, options);
  await app.register(auditRoutes, options);
  await app.register(adminUserRoutes, options);
  await app.register(dicomWebRoutes, options);
  await app.register(preferenceRoutes, options);
  await app.register(priorsRoutes, options);
  await app.register(deliveryRoutes, options);
  await app.register(reportRoutes, options);
  await app.register(reportTemplateRoutes, options);
  await app.register(macroRoutes, options);
  const webClient = await registerWebClient(app, services.config.webRoot ?? DEFAULT_WEB_ROOT);
  installNotFoundHandler(app, webClient);
  return app;
}
