import type { DeskService } from '../../domain/desks/desk-service';

export type WebDeskState = 'not_a_desk' | 'open' | 'locked';

/**
 * A web chat desk sees every tip of its unit, so a browser left open (or a
 * copied cookie) must not keep that power: after `idleMs` without its
 * officer writing or pressing a button, the session is locked. A locked
 * desk still receives its cards (nothing is lost, the unit still has its
 * desk), but the page shows nothing and the API answers 401 until the
 * officer types `/trucban <code>` of that unit again.
 *
 * The page's polling is not activity (it runs on its own). The last action
 * is kept on the desk's document, so every instance sees it; each instance
 * writes it at most once per `writeEveryMs`, not on every request.
 */
export class WebDeskLock {
  /** Desk id → its officer's last action as this instance last read or wrote it, and when it read it (ms). */
  private readonly known = new Map<string, { seen: number; readAt: number }>();
  private readonly writeEveryMs: number;

  constructor(
    private readonly desks: DeskService,
    private readonly idleMs: number,
    private readonly clock: () => Date,
  ) {
    this.writeEveryMs = Math.min(60_000, idleMs / 10);
  }

  get idleMinutes(): number {
    return Math.max(1, Math.round(this.idleMs / 60_000));
  }

  /** Whether this session is a desk, and if so whether it is locked. `acting`: the officer wrote or pressed something, which counts as activity. */
  async state(session: string, acting: boolean): Promise<WebDeskState> {
    const desk = await this.desks.find({ channel: 'webchat', chatId: session });
    if (!desk) return 'not_a_desk';
    const now = this.clock().getTime();
    let known = this.known.get(desk._id);
    // Read again once a while has passed, or before locking (another instance may have seen the officer since).
    if (!known || now - known.readAt >= this.writeEveryMs || now - known.seen > this.idleMs) {
      known = { seen: (await this.desks.webSeenAt(desk)).getTime(), readAt: now };
      this.known.set(desk._id, known);
    }
    if (now - known.seen > this.idleMs) return 'locked';
    if (acting && now - known.seen >= this.writeEveryMs) await this.record(desk._id, now);
    return 'open';
  }

  /** `/trucban <code>` typed in a locked desk: opens it when the code is its unit's. */
  async unlock(session: string, code: string): Promise<boolean> {
    const desk = await this.desks.find({ channel: 'webchat', chatId: session });
    if (!desk || this.desks.unitForCode(code)?.id !== desk.unitId) return false;
    await this.record(desk._id, this.clock().getTime());
    return true;
  }

  private async record(deskId: string, now: number): Promise<void> {
    await this.desks.markWebSeen(deskId, new Date(now));
    this.known.set(deskId, { seen: now, readAt: now });
  }
}
