import type { ReporterNotice } from '../../core/reporter-notice';

export type { MediationStep, ReporterNotice } from '../../core/reporter-notice';

/**
 * Queues a notice for a reporter, durably; a reporter who is gone hears
 * nothing. With a `key`, the notice is queued once however often it is
 * told (a change's consequences completed again after a crash).
 */
export type TellReporter = (residentKey: string, notice: ReporterNotice, key?: string) => Promise<void>;
