// `npm run bench`: the figures each issue asks for, as ratios against a baseline measured in the same run.
import os from 'node:os';
import { measureStartup, measureThroughput } from './hubBench.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

process.stdout.write(`Vigie bench — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n\n`);

const startup = await measureStartup(3);
const hubMedian = median(startup.hubMs);
const baseMedian = median(startup.baselineMs);
process.stdout.write('Hub cold start to ready (embedded default: PGlite, demo data present), 3 runs\n');
process.stdout.write(`  hub:      median ${fmt(hubMedian)} ms   (runs: ${startup.hubMs.map((v) => fmt(v)).join(', ')})\n`);
process.stdout.write(`  baseline: median ${fmt(baseMedian)} ms   (minimal Fastify server under tsx)\n`);
process.stdout.write(`  ratio hub / baseline: ${fmt(hubMedian / baseMedian, 2)}\n\n`);

const throughput = await measureThroughput(5000, 16);
const { authenticated: a, health: h } = throughput;
process.stdout.write('Request throughput, 16 keep-alive connections, 5 s each, PGlite\n');
process.stdout.write(`  GET /api/worklist (session checked): ${fmt(a.perSecond)} req/s, p50 ${fmt(a.p50ms, 1)} ms, p99 ${fmt(a.p99ms, 1)} ms, errors ${a.errors}\n`);
process.stdout.write(`  GET /api/health (no session):        ${fmt(h.perSecond)} req/s, p50 ${fmt(h.p50ms, 1)} ms, p99 ${fmt(h.p99ms, 1)} ms, errors ${h.errors}\n`);
process.stdout.write(`  ratio authenticated / health: ${fmt(a.perSecond / h.perSecond, 2)}\n`);
