// Minimal fixed-response loopback servers for the benchmarks: the same canned answer for every
// client, so the server costs the same whoever calls. They verify nothing and must never be used
// outside bench/ (no signature checks, no state), and they listen on 127.0.0.1 only.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const TENCENT_BUS = {
  EventBusId: 'eb-bench0001',
  EventBusName: 'bench-bus',
  Description: 'bench bus',
  AddTime: '2026-01-01 00:00:00',
  ModTime: '2026-01-01 00:00:00',
  Type: 'Custom',
  PayMode: 'PayByUse',
  SaveDays: 7,
  EnableStore: false,
  LinkMode: '',
  ClsLogsetId: '',
  ClsTopicId: '',
  LogTopicId: '',
};
const HUAWEI_CHANNEL = {
  id: '3a3f4e5d-0000-4000-8000-000000000001',
  name: 'bench-channel',
  description: 'bench channel',
  provider_type: 'CUSTOM',
  created_time: '2026-01-01T00:00:00Z',
  updated_time: '2026-01-01T00:00:00Z',
  enterprise_project_id: '0',
};
const AWS_INTEGRATION = {
  EventIntegrationArn: 'arn:aws:app-integrations:us-east-1:111122223333:event-integration/bench',
  Name: 'bench',
  Description: 'bench integration',
  EventFilter: { Source: 'aws.partner/bench' },
  EventBridgeBus: 'default',
  Tags: {},
};

const TENCENT_NO_TAGS = JSON.stringify({ Response: { TotalCount: 0, Tags: [], RequestId: 'r-tags' } });

/** A page of `limit` generated Tencent buses from `offset` (TotalCount = total). */
function tencentPage(offset, limit, total) {
  const n = Math.max(0, Math.min(limit, total - offset));
  const items = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = offset + i;
    items[i] = { ...TENCENT_BUS, EventBusId: `eb-${k}`, EventBusName: `bench-bus-${k}` };
  }
  return JSON.stringify({ Response: { TotalCount: total, EventBuses: items, RequestId: 'r-page' } });
}

/**
 * Starts the bench server. Routes: Tencent (POST / with X-TC-Action: GetEventBus answers one bus,
 * ListEventBuses pages `listTotal` generated buses, DescribeResourceTagsByResourceIds no tags), Huawei (GET /v1/{p}/channels/{id}), AWS
 * (GET /eventIntegrations/{name}). `captured[route]` keeps the first request seen per route so
 * that a bare client can replay exactly the signed bytes.
 */
export async function startBenchServer({ listTotal = 100_000 } = {}) {
  const captured = {};
  const bodies = {
    tencent: JSON.stringify({ Response: { ...TENCENT_BUS, RequestId: 'r-bench' } }),
    huawei: JSON.stringify(HUAWEI_CHANNEL),
    aws: JSON.stringify(AWS_INTEGRATION),
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const action = req.headers['x-tc-action'];
      let route;
      let out;
      const headers = { 'content-type': 'application/json' };
      if (action === 'DescribeResourceTagsByResourceIds') {
        // The tag service (a bus's tags: a Tencent bus get reads them beside GetEventBus).
        route = 'tencent-tags';
        out = TENCENT_NO_TAGS;
      } else if (action === 'ListEventBuses') {
        const p = JSON.parse(body || '{}');
        route = 'tencent-list';
        out = tencentPage(Number(p.Offset ?? 0), Number(p.Limit ?? 20), listTotal);
      } else if (action) {
        route = 'tencent';
        out = bodies.tencent;
      } else if (req.url.includes('/channels/')) {
        route = 'huawei';
        out = bodies.huawei;
        headers['x-request-id'] = 'r-bench';
      } else if (req.url.startsWith('/eventIntegrations/')) {
        route = 'aws';
        out = bodies.aws;
        headers['x-amzn-requestid'] = 'r-bench';
      } else {
        res.writeHead(404, headers).end('{}');
        return;
      }
      captured[route] ??= { method: req.method, path: req.url, headers: { ...req.headers }, body };
      headers['content-length'] = String(Buffer.byteLength(out));
      res.writeHead(200, headers).end(out);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    captured,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
