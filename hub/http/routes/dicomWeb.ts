import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DicomJsonDataset, PacsAdapter } from '../../pacs/pacsAdapter.js';
import { firstNumber, firstString, TAG } from '../../pacs/dicomJson.js';
import { parseMultipartRelated, readAll } from '../../pacs/multipart.js';
import type { Services } from '../../services.js';
import { StudyAccess, type StudyGrant } from '../../dicomweb/studyAccess.js';
import { searchVisibleStudies } from '../../dicomweb/qido.js';
import { servedMetadata } from '../../dicomweb/servedMetadata.js';
import { rewriteSearchRows } from '../../dicomweb/pacsUrls.js';
import { instanceRendition, multipartDicomStream } from '../../dicomweb/multipartDicom.js';
import { priorsOf } from '../../dicomweb/priorsFor.js';
import { encodedFrame, encodeFrameStream, frameCoding } from '../../dicomweb/frameEncoding.js';
import { FIRST_FRAME_HEADER, StudyMetadataCache } from '../../dicomweb/studyMetadataCache.js';
import { NotRenderableHere, renderThumbnail, THUMBNAIL_SIZE } from '../../dicomweb/thumbnail.js';
import {
  acceptsGzip,
  DICOM_JSON,
  etagOf,
  gzipped,
  IMMUTABLE_CACHE,
  matchesIfNoneMatch,
  METADATA_CACHE,
  notRenderable,
  pacsProblem,
  SEARCH_CACHE,
  THUMBNAIL_CACHE,
} from '../../dicomweb/responses.js';
import { HttpProblem } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/** At most this many frames in one WADO-RS frames request. */
const MAX_FRAMES = 256;
/** At most this many instances in one series or study retrieve. */
const MAX_RETRIEVED_INSTANCES = 5_000;

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
interface BulkParams extends InstanceParams {
  '*': string;
}
/** `priorOf=<tele-file id>`: optional hint for a prior study (always checked against the PACS). */
interface Hint {
  priorOf?: string;
}

function frameNumbers(list: string): number[] {
  const parts = list.split(',');
  if (parts.length > MAX_FRAMES) throw new HttpProblem(400, 'bad-request', `Ask for at most ${MAX_FRAMES} frames at once (${parts.length} asked).`);
  return parts.map((part) => {
    if (!/^[1-9][0-9]{0,8}$/.test(part)) throw new HttpProblem(400, 'bad-request', `Frame numbers are positive integers separated by commas ("${part.slice(0, 20)}" is not one).`);
    return Number(part);
  });
}

/** The image of a series the thumbnail shows: the middle one by InstanceNumber, among instances with pixels. */
function middleImage(datasets: DicomJsonDataset[]): DicomJsonDataset | undefined {
  const images = datasets
    .filter((d) => firstNumber(d, '00280010') !== undefined && firstString(d, TAG.SOPInstanceUID) !== undefined)
    .sort((a, b) => (firstNumber(a, TAG.InstanceNumber) ?? 0) - (firstNumber(b, TAG.InstanceNumber) ?? 0));
  return images[Math.floor((images.length - 1) / 2)];
}

/**
 * The DICOMweb proxy (issue 5): QIDO-RS study search and WADO-RS metadata,
 * frames, instances (bare or multipart), series and studies (multipart),
 * bulk data and thumbnails, for the studies of the reader's tele-files and
 * their priors only. Readers never see the PACS address nor its credentials.
 * Every WADO-RS route authorises the study (403 + `access.denied`
 * otherwise) and writes `study.accessed` once per session and study.
 */
export async function dicomWebRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, studyAccess } = services;
  const signedIn = { preHandler: guards.requireSession() };
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });
  priorsOf(services);

  function pacsOf(): PacsAdapter {
    if (!services.pacs) throw new HttpProblem(503, 'service-unavailable', 'No pivot PACS is configured on this hub (Aucun PACS pivot n’est configuré).');
    return services.pacs;
  }

  /** PACS errors as clear answers (the PACS address stays in the log). */
  async function fromPacs<T>(request: FastifyRequest, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const problem = pacsProblem(error);
      if (!problem) throw error;
      if (problem.status >= 500) request.log.warn({ err: error }, 'DICOMweb proxy: PACS error');
      throw problem;
    }
  }

  /** Authorises the study (its own tele-file or a prior), audits its first access in this session, then asks the PACS. */
  async function withStudy<T>(request: FastifyRequest<{ Params: StudyParams; Querystring: Hint }>, read: (pacs: PacsAdapter, grant: StudyGrant) => Promise<T>): Promise<T> {
    const { user, session } = authOf(request);
    const { study } = request.params;
    const priorOf = typeof request.query.priorOf === 'string' ? request.query.priorOf : undefined;
    const grant = await fromPacs(request, () => studyAccess.authorise(user, study, meta(request), priorOf === undefined ? {} : { priorOf }));
    const pacs = pacsOf();
    await studyAccess.recordAccess(user, session.id, grant, study, meta(request));
    return fromPacs(request, () => read(pacs, grant));
  }

  function checkUids(params: Partial<InstanceParams>): void {
    if (params.series !== undefined) StudyAccess.checkUid(params.series, 'SeriesInstanceUID');
    if (params.sop !== undefined) StudyAccess.checkUid(params.sop, 'SOPInstanceUID');
  }

  /** A metadata answer: cache headers, 304 on a matching ETag, gzip when accepted (each body made only if sent). */
  async function sendMetadataAnswer(request: FastifyRequest, reply: FastifyReply, answer: { etag: string; gzip(): Promise<Buffer>; text(): Promise<string> }): Promise<FastifyReply> {
    reply.header('cache-control', METADATA_CACHE).header('etag', answer.etag).header('vary', 'Accept-Encoding');
    if (matchesIfNoneMatch(request.headers['if-none-match'], answer.etag)) return reply.status(304).send();
    reply.type(DICOM_JSON);
    if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(await answer.gzip());
    return reply.send(await answer.text());
  }

  /** `datasets` as the proxy serves them (servedMetadata). */
  async function sendMetadata(request: FastifyRequest<{ Params: StudyParams }>, reply: FastifyReply, datasets: DicomJsonDataset[]): Promise<FastifyReply> {
    const json = JSON.stringify(datasets);
    return sendMetadataAnswer(request, reply, { etag: etagOf(json), gzip: () => gzipped(json), text: async () => json });
  }

  /** The instances named by the metadata, read from the PACS one at a time, as one multipart/related answer. */
  function sendInstances(reply: FastifyReply, pacs: PacsAdapter, study: string, datasets: DicomJsonDataset[]): FastifyReply {
    const targets = datasets.flatMap((d) => {
      const series = firstString(d, TAG.SeriesInstanceUID);
      const sop = firstString(d, TAG.SOPInstanceUID);
      return series === undefined || sop === undefined ? [] : [{ series, sop }];
    });
    if (targets.length > MAX_RETRIEVED_INSTANCES) throw new HttpProblem(400, 'bad-request', `This holds ${targets.length} instances; retrieve at most ${MAX_RETRIEVED_INSTANCES} at once (ask series by series).`);
    async function* read(): AsyncGenerator<Buffer> {
      for (const { series, sop } of targets) yield await pacs.instance(study, series, sop);
    }
    const { contentType, body } = multipartDicomStream(read());
    return reply.header('cache-control', METADATA_CACHE).header('content-type', contentType).send(body);
  }

  function multipartOnly(request: FastifyRequest): void {
    if (instanceRendition(request.headers.accept, false) === null) {
      throw new HttpProblem(406, 'bad-request', 'Series and studies are retrieved as multipart/related; type="application/dicom" only.');
    }
  }

  /** A PNG rendered here from native pixel data, else the PACS's own rendering; 404 (draw it yourself) otherwise. */
  async function thumbnail(pacs: PacsAdapter, study: string, series: string, dataset: DicomJsonDataset): Promise<{ contentType: string; body: Buffer }> {
    const sop = firstString(dataset, TAG.SOPInstanceUID) as string;
    const frames = await pacs.frames(study, series, sop, [1]);
    const body = await readAll(frames.body);
    const [first] = parseMultipartRelated(frames.contentType, body);
    if (first === undefined) throw notRenderable(`instance ${sop} sent no frame`);
    try {
      return { contentType: 'image/png', body: renderThumbnail(dataset, first.body, frames.transferSyntaxUid, THUMBNAIL_SIZE) };
    } catch (error) {
      if (!(error instanceof NotRenderableHere)) throw error;
      // Compressed: only the PACS may decode it (the hub never decodes compressed pixel data).
      if (pacs.kind === 'dicomweb') return pacs.rendered(study, series, sop, THUMBNAIL_SIZE);
      throw notRenderable(`instance ${sop}: ${error.message}`);
    }
  }

  app.get('/dicom-web/studies', signedIn, async (request, reply) => {
    const { user } = authOf(request);
    const visible = await studyAccess.visibleStudyUids(user);
    const rows = await fromPacs(request, () => searchVisibleStudies(pacsOf, visible, request.query as Record<string, string | string[] | undefined>));
    return reply.header('cache-control', SEARCH_CACHE).type(DICOM_JSON).send(JSON.stringify(rewriteSearchRows(rows)));
  });

  app.get<{ Params: StudyParams; Querystring: Hint }>('/dicom-web/studies/:study/metadata', signedIn, async (request, reply) => {
    // Prepared ahead (studyMetadataCache.ts): the answer a viewer waits for before its first image.
    const prepared = await withStudy(request, () => services.studyMetadata.metadata(request.params.study));
    if (prepared.firstFramePath !== null) reply.header(FIRST_FRAME_HEADER, prepared.firstFramePath);
    return sendMetadataAnswer(request, reply, { etag: prepared.etag, gzip: async () => prepared.gzip, text: () => StudyMetadataCache.text(prepared) });
  });

  app.get<{ Params: SeriesParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/metadata', signedIn, async (request, reply) => {
    checkUids(request.params);
    const { study } = request.params;
    const datasets = await withStudy(request, async (pacs) => servedMetadata(pacs, study, await pacs.seriesMetadata(study, request.params.series)));
    return sendMetadata(request, reply, datasets);
  });

  app.get<{ Params: FramesParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/instances/:sop/frames/:frames', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    checkUids(request.params);
    const numbers = frameNumbers(request.params.frames);
    const result = await withStudy(request, async (pacs) => (await services.studyMetadata.firstFrame(study, series, sop, numbers)) ?? pacs.frames(study, series, sop, numbers));
    // The PACS's multipart body, unchanged: frames as stored, never decoded (PITFALLS); native pixels content-coded when the client accepts it.
    reply.header('cache-control', IMMUTABLE_CACHE).header('content-type', result.contentType).header('vary', 'accept-encoding');
    const coding = services.config.frameCompression ? frameCoding(request.headers['accept-encoding'], result.transferSyntaxUid) : null;
    if (coding === null) return reply.send(result.body);
    reply.header('content-encoding', coding);
    return reply.send(Buffer.isBuffer(result.body) ? await encodedFrame(result.body, coding) : encodeFrameStream(result.body, coding));
  });

  app.get<{ Params: InstanceParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/instances/:sop', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    checkUids(request.params);
    const rendition = instanceRendition(request.headers.accept, true);
    if (rendition === null) throw new HttpProblem(406, 'bad-request', 'An instance is answered as application/dicom or multipart/related; type="application/dicom".');
    const bytes = await withStudy(request, (pacs) => pacs.instance(study, series, sop));
    reply.header('cache-control', IMMUTABLE_CACHE);
    if (rendition === 'bare') return reply.type('application/dicom').send(bytes);
    const { contentType, body } = multipartDicomStream((async function* () {
      yield bytes;
    })());
    return reply.header('content-type', contentType).send(body);
  });

  app.get<{ Params: SeriesParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series', signedIn, async (request, reply) => {
    const { study, series } = request.params;
    checkUids(request.params);
    multipartOnly(request);
    const [pacs, datasets] = await withStudy(request, async (p) => [p, await p.seriesMetadata(study, series)] as const);
    return sendInstances(reply, pacs, study, datasets);
  });

  app.get<{ Params: StudyParams; Querystring: Hint }>('/dicom-web/studies/:study', signedIn, async (request, reply) => {
    const { study } = request.params;
    multipartOnly(request);
    const [pacs, datasets] = await withStudy(request, async (p) => [p, await p.studyMetadata(study)] as const);
    return sendInstances(reply, pacs, study, datasets);
  });

  app.get<{ Params: SeriesParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/thumbnail', signedIn, async (request, reply) => {
    const { study, series } = request.params;
    checkUids(request.params);
    const image = await withStudy(request, async (pacs) => {
      const middle = middleImage(await pacs.seriesMetadata(study, series));
      if (middle === undefined) throw notRenderable(`series ${series} holds no image`);
      return thumbnail(pacs, study, series, middle);
    });
    return reply.header('cache-control', THUMBNAIL_CACHE).type(image.contentType).send(image.body);
  });

  app.get<{ Params: InstanceParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/instances/:sop/thumbnail', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    checkUids(request.params);
    const image = await withStudy(request, async (pacs) => {
      const dataset = (await pacs.seriesMetadata(study, series)).find((d) => firstString(d, TAG.SOPInstanceUID) === sop);
      if (dataset === undefined || firstNumber(dataset, '00280010') === undefined) throw notRenderable(`instance ${sop} is not an image of series ${series}`);
      return thumbnail(pacs, study, series, dataset);
    });
    return reply.header('cache-control', IMMUTABLE_CACHE).type(image.contentType).send(image.body);
  });

  app.get<{ Params: BulkParams; Querystring: Hint }>('/dicom-web/studies/:study/series/:series/instances/:sop/bulk/*', signedIn, async (request, reply) => {
    const { study, series, sop } = request.params;
    checkUids(request.params);
    const path = request.params['*'];
    if (!/^[0-9A-Fa-f]{8}(\/[0-9]{1,6}\/[0-9A-Fa-f]{8})*$/.test(path)) throw new HttpProblem(400, 'bad-request', 'A bulk data address ends with a tag path such as 00281201 or 00540016/0/00281201.');
    const result = await withStudy(request, (pacs) => pacs.bulkData(study, series, sop, path));
    return reply.header('cache-control', IMMUTABLE_CACHE).header('content-type', result.contentType).send(result.body);
  });
}
