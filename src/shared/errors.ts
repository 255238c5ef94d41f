/**
 * Errors the service raises on purpose. Each carries a stable code; codes that
 * reach a resident map to a localized message under `errors.<code>`.
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'catalog_invalid'
  | 'database_unavailable'
  | 'ferretdb_build_failed'
  | 'ferretdb_start_failed'
  | 'decrypt_failed'
  | 'receipt_exhausted'
  | 'conversation_conflict'
  | 'evidence_too_large'
  | 'file_missing'
  | 'schema_outdated'
  | 'schema_unknown'
  | 'channel_unavailable';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** MongoDB's duplicate key error, the basis of every lock and idempotency check here. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
