/**
 * Errors that say "try again in a moment", not "this cannot be done": the
 * embedded SQLite busy with another writer, a connection reset, a server
 * being selected again after a step-down. Read from the error's name, code,
 * labels and message only, so it needs no driver import.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, message } = error;
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  const code = (error as { code?: unknown }).code;
  if (Array.isArray(labels) && labels.some((l) => l === 'RetryableWriteError' || l === 'TransientTransactionError' || l === 'ResetPool')) return true;
  if (name === 'MongoNetworkError' || name === 'MongoNetworkTimeoutError' || name === 'MongoServerSelectionError' || name === 'MongoPoolClearedError') return true;
  // FerretDB's SQLite backend under concurrent writers; MongoDB's "not primary" codes during an election.
  if (/database is locked|SQLITE_BUSY|database table is locked/i.test(message)) return true;
  return code === 10107 || code === 13435 || code === 11600 || code === 11602 || code === 189 || code === 91;
}
