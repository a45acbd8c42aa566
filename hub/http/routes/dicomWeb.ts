import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DicomJsonDataset, PacsAdapter } from '../../pacs/pacsAdapter.js';
import type { Services } from '../../services.js';
import { StudyAccess } from '../../dicomweb/studyAccess.js';
import { searchVisibleStudies } from '../../dicomweb/qido.js';
import { acceptsGzip, DICOM_JSON, etagOf, gzipped, IMMUTABLE_CACHE, matchesIfNoneMatch, METADATA_CACHE, pacsProblem, SEARCH_CACHE } from '../../dicomweb/responses.js';
import { HttpProblem } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/** At most this many frames in one WADO-RS frames request. */
const MAX_FRAMES = 256;

interface StudyParams {
  study: string;
}
interface SeriesParams extends StudyParams {
  series: string;
}
interface InstanceParams extends SeriesParams {
  sop: string;
}
interface FramesParams extends InstanceParams {
  frames: string;
}

function frameNumbers(list: string): number[] {
  const parts = list.split(',');
  if (parts.length > MAX_FRAMES) throw new HttpProblem(400, 'bad-request', `Ask for at most ${MAX_FRAMES} frames at once (${parts.length} asked).`);
  return parts.map((part) => {
    if (!/^[1-9][0-9]{0,8}$/.test(part)) throw new HttpProblem(400, 'bad-request', `Frame numbers are positive integers separated by commas ("${part.slice(0, 20)}" is not one).`);
    return Number(part);
  });
}

/**
 * The DICOMweb proxy (issue 5, first slice): QIDO-RS study search and
 * WADO-RS metadata, frames and instances, for the studies of the reader's
 * tele-files only. Readers never see the PACS address nor its credentials.
 * Every WADO-RS route authorises the study (403 + `access.denied`
 * otherwise) and writes `study.accessed` once per session and study.
 */
export async function dicomWebRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, studyAccess } = services;
  const signedIn = { preHandler: guards.requireSession() };
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });

  function pacsOf(): PacsAdapter {
    if (!services.pacs) throw new HttpProblem(503, 'service-unavailable', 'No pivot PACS is configured on this hub (Aucun PACS pivot n’est configuré).');
    return services.pacs;
  }

  /** Authorises the study, audits its first access in this session, then asks the PACS; PACS errors become clear answers. */
  async function withStudy<T>(request: FastifyRequest<{ Params: StudyParams }>, read: (pacs: PacsAdapter) => Promise<T>): Promise<T> {
    const { user, session } = authOf(request);
    const { study } = request.params;
    const teleFile = await studyAccess.authorise(user, study, meta(request));
    const pacs = pacsOf();
    await studyAccess.recordAccess(user, session.id, teleFile, study, meta(request));
    try {
      return await read(pacs);
    } catch (error) {
      const problem = pacsProblem(error);
      if (!problem) throw error;
      if (problem.status >= 500) request.log.warn({ err: error }, 'DICOMweb proxy: PACS error');
      throw problem;
    }
  }

  async function sendMetadata(request: FastifyRequest, reply: FastifyReply, datasets: DicomJsonDataset[]): Promise<FastifyReply> {
    const json = JSON.stringify(datasets);
    const etag = etagOf(json);
    reply.header('cache-control', METADATA_CACHE).header('etag', etag).header('vary', 'Accept-Encoding');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    reply.type(DICOM_JSON);
    if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(await gzipped(json));
    return reply.send(json);
  }

  app.get('/dicom-web/studies', signedIn, async (request, reply) => {
    const { user } = authOf(request);
    const visible = await studyAccess.visibleStudyUids(user);
    let rows: DicomJsonDataset[];
    try {
      rows = await searchVisibleStudies(pacsOf, visible, request.query as Record<string, string | string[] | undefined>);
    } catch (error) {
      const problem = pacsProblem(error);
      if (!problem) throw error;
      if (problem.status >= 500) request.log.warn({ err: error }, 'DICOMweb proxy: PACS error');
      throw problem;
    }
    return reply.header('cache-control', SEARCH_CACHE).type(DICOM_JSON).send(JSON.stringify(rows));
  });

  app.get<{ Params: StudyParams }>('/dicom-web/studies/:study/metadata', signedIn, async (request, reply) => {
    const datasets = await withStudy(request, (pacs) => pacs.studyMetadata(request.params.study));
    return sendMetadata(request, reply, datasets);
  });

  app.get<{ Params: SeriesParams }>('/dicom-web/studies/:study/series/:series/metadata', signedIn, async (request, reply) => {
    StudyAccess.checkUid(request.params.series, 'SeriesInstanceUID');
    const datasets = await withStudy(request, (pacs) => pacs.seriesMetadata(request.params.study, request.params.series));
    return sendMetadata(request, reply, datasets);
  });

  app.get<{ Params: FramesParams }>('/dicom-web/studies/:study/series/:series/instances/:sop/frames/:frames', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    StudyAccess.checkUid(series, 'SeriesInstanceUID');
    StudyAccess.checkUid(sop, 'SOPInstanceUID');
    const numbers = frameNumbers(request.params.frames);
    const result = await withStudy(request, (pacs) => pacs.frames(study, series, sop, numbers));
    // The PACS's multipart body, unchanged: frames as stored, never decoded (PITFALLS).
    return reply.header('cache-control', IMMUTABLE_CACHE).header('content-type', result.contentType).send(result.body);
  });

  app.get<{ Params: InstanceParams }>('/dicom-web/studies/:study/series/:series/instances/:sop', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    StudyAccess.checkUid(series, 'SeriesInstanceUID');
    StudyAccess.checkUid(sop, 'SOPInstanceUID');
    const bytes = await withStudy(request, (pacs) => pacs.instance(study, series, sop));
    return reply.header('cache-control', IMMUTABLE_CACHE).type('application/dicom').send(bytes);
  });
}
