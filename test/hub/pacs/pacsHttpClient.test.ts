import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacsHttpClient } from '../../../hub/pacs/pacsHttpClient.js';

describe('PacsHttpClient: what it asks the PACS for', () => {
  let server: Server;
  let baseUrl: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers);
      const json = String(request.headers.accept ?? '').includes('json');
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/octet-stream' });
      response.end(json ? '[]' : Buffer.alloc(64));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('asks for pixels and files uncompressed (a PACS that deflates each frame spends ~70 ms of CPU on it), JSON as fetch offers it', async () => {
    const client = new PacsHttpClient({ baseUrl });
    await client.bytes({ path: '/studies/1/series/2/instances/3/frames/1', accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' });
    expect(seen.at(-1)?.['accept-encoding']).toBe('identity');
    await client.bytes({ path: '/studies/1/series/2/instances/3', accept: 'multipart/related; type="application/dicom"' });
    expect(seen.at(-1)?.['accept-encoding']).toBe('identity');
    await client.json({ path: '/studies/1/metadata', accept: 'application/dicom+json' });
    expect(seen.at(-1)?.['accept-encoding']).not.toBe('identity');
    expect(seen.at(-1)?.['accept-encoding']).toContain('gzip');
  });
});
