// `npm run audit:verify`: walks the audit chain and names the first broken row.
// On the embedded database (PGlite) stop the hub first: PGlite has one process at a time.
import { verifyAuditChain } from '../audit/auditVerify.js';
import { openConfiguredDatabase } from './openConfiguredDatabase.js';

const database = await openConfiguredDatabase();
try {
  const result = await verifyAuditChain(database.db);
  if (result.ok) {
    process.stdout.write(`Audit trail intact: ${result.rows} rows, chain head ${result.lastHash.slice(0, 16)}… (${database.description})\n`);
  } else {
    process.stdout.write(`AUDIT TRAIL BROKEN at row ${result.brokenSeq}: ${result.reason}. Rows before it are intact (${result.rows - 1} checked).\n`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
