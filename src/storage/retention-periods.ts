/**
 * How long each kind of record is kept (README, "What is kept and for how
 * long"): used by the retention sweep (retention.ts), and by the TTL indexes
 * MongoDB keeps where the rule is a plain expiry.
 */

const DAY_MS = 24 * 3_600_000;

/** How long processed-event keys and delivery claims are kept: far longer than any platform redelivers. */
export const LEDGER_RETENTION_MS = 7 * DAY_MS;
/** Zalo events are kept past the webhook's freshness window (a day), so a replay inside the window still finds its id. */
export const ZALO_EVENTS_KEPT_MS = 2 * DAY_MS;
/** Delivered notices keep their id this long: far longer than an officer's change takes to complete after a crash. */
export const NOTICE_KEYS_KEPT_MS = DAY_MS;
/** A notice the reporter's chat refused this long is given up (they blocked the bot); /theodoi still shows the case's state. */
export const PENDING_NOTICE_KEPT_MS = 30 * DAY_MS;
/** Files the bot made for a web chat (exports name the parties of disputes): a week to download them. */
export const WEBCHAT_FILES_KEPT_MS = 7 * DAY_MS;
/** A web chat page shows the last month of its conversation. */
export const WEBCHAT_MESSAGES_KEPT_MS = 30 * DAY_MS;
/** Zalo's consultation window is 7 days; a follower silent for a month is forgotten with what was held for them. */
export const ZALO_CONTACTS_KEPT_MS = 30 * DAY_MS;
/** A deadline reminder's key is kept while its tip is open, and this long after it was sent once the tip is closed. */
export const REMINDERS_KEPT_MS = 30 * DAY_MS;
/** A campaign run's recipients and outcomes are kept this long after it fired; then the run keeps only its figures. */
export const BROADCAST_LEDGER_KEPT_MS = 90 * DAY_MS;
/** How long a job's record of who ran which fire time is kept (TTL on MongoDB). */
export const JOB_RUNS_KEPT_MS = DAY_MS;

/** A TTL index's `expireAfterSeconds` for a period. */
export const ttlSeconds = (ms: number): number => Math.round(ms / 1000);
