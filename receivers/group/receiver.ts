// A group of receivers played as one Receiver (kind 'group'): the PCM driver (shared/pcm-driver.ts:
// decode, pace, pause, seek, gapless preload, status) plays to a GroupStream whose members are the
// group's synced members (AirPlay speakers, Sendspin players), opened by the server's
// MemberFactory on the stream's timeline. Members join and leave a running stream; one that is lost
// is 'gone' and the others play on; it rejoins on memberOnline() while the group plays. Members
// that cannot be synced (OpenedMember 'follower': Chromecasts) get the group's loads, pauses, seeks
// and stops, unsynced; their failures never stop the group. A follower shows 'playing' only once it
// took the item: one whose load failed is 'failed' with the reason, left out of pauses and seeks,
// and given the next item again. The group is gone only when every member is. A gone synced
// member is also tried again on its own while the group plays.
import { PcmDriver, type PcmDriverOptions } from '../shared/pcm-driver.js';
import type { PcmStream } from '../shared/pcm-stream.js';
import type { TimelineMember } from '../shared/timeline-member.js';
import type { LoadRequest, Receiver, ReceiverDescriptor } from '../types.js';
import { GroupStream } from './stream.js';
import type { GroupMemberSpec, GroupMemberState, GroupReceiver, MemberFactory } from './types.js';

interface Slot {
  spec: GroupMemberSpec;
  state: GroupMemberState['state'];
  synced: boolean;
  error?: string;
  unsynced?: string;
  member?: TimelineMember;
  follower?: Receiver;
  /** The stream it is being opened for (a join in flight). */
  joining?: GroupStream;
  /** The next quiet attempt to bring a gone member back while the group plays. */
  retry?: NodeJS.Timeout;
  retries: number;
  /** A follower's latest load (only its outcome sets the state) and whether it is in flight. */
  load?: object;
}

/**
 * A gone member is tried again while the group plays, at these intervals (doubling): a speaker that
 * froze and came back, or whose network returned, says nothing discovery would notice.
 */
export const REJOIN_FIRST_MS = 2000;
export const REJOIN_MAX_MS = 15_000;

const clamp = (l: number): number => Math.min(1, Math.max(0, l));
/** Scaled levels without float dust (they are stored with the group). */
const round = (l: number): number => Math.round(l * 1e4) / 1e4;
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class Group extends PcmDriver implements GroupReceiver {
  private readonly slots = new Map<string, Slot>();
  private gs: GroupStream | undefined;
  private readonly watchers: ((m: GroupMemberState[]) => void)[] = [];
  /** What the group plays now (for followers that open later) and what follows it (preload). */
  private req: LoadRequest | undefined;
  private next: LoadRequest | undefined;

  constructor(d: ReceiverDescriptor, specs: GroupMemberSpec[], private readonly factory: MemberFactory, opts: PcmDriverOptions) {
    super(d.id, d.name, opts, 'group');
    for (const s of specs) this.slots.set(s.id, { spec: { ...s }, state: 'idle', synced: true, retries: 0 });
    this.st = { ...this.st, volume: { level: this.level(), muted: false } };
    // Followers without gapless go on to the preloaded item when the group does.
    this.on('status', (s) => {
      if (!s.preloaded || this.next?.url !== s.preloaded) return;
      const next = this.next;
      this.req = next;
      // A follower whose last item failed is given this one again (it has nothing to go on from).
      for (const x of this.slots.values()) if (x.follower && (!x.follower.preload || x.state === 'failed')) this.loadOn(x, x.follower, (r) => r.load(next));
    });
  }

  /** The group's level: its loudest member's (a group volume scales every member from there). */
  private level(): number {
    return Math.max(0, ...[...this.slots.values()].map((s) => s.spec.volume));
  }

  members(): GroupMemberState[] {
    return [...this.slots.values()].map((s) => ({ ...s.spec, name: this.factory.name(s.spec.id), state: s.state, synced: s.synced, ...(s.error ? { error: s.error } : {}), ...(s.unsynced ? { unsynced: s.unsynced } : {}) }));
  }

  onMembers(listener: (m: GroupMemberState[]) => void): void {
    this.watchers.push(listener);
  }

  private changed(): void {
    const m = this.members();
    for (const l of this.watchers) l(m);
  }

  /** Nothing to check up front: each member is opened (and may fail alone) when the group plays. */
  async connect(): Promise<void> {
    this.refuse();
  }

  private live(): GroupStream | undefined {
    return this.gs && !this.gs.stopped ? this.gs : undefined;
  }

  protected async openStream(): Promise<PcmStream> {
    const gs: GroupStream = new GroupStream({
      onLost: (m, e) => this.lostMember(gs, m, e),
      onStop: () => this.streamStopped(gs),
      log: (msg, f) => this.log(msg, f),
    });
    this.gs = gs;
    await Promise.all([...this.slots.values()].map((s) => this.join(gs, s)));
    const slots = [...this.slots.values()];
    if (!slots.some((s) => s.member || s.follower)) {
      await gs.stop();
      const why = slots.map((s) => `${this.factory.name(s.spec.id)}: ${s.error ?? 'not opened'}`).join('; ');
      throw new Error(`no member of ${this.name} can play (${why || 'it has no members'})`);
    }
    return gs;
  }

  /**
   * Opens a member on the stream (joining it while it plays); a failure makes it 'gone' and it is
   * tried again later. A `quiet` attempt (a retry) shows nothing unless it succeeds.
   */
  private async join(gs: GroupStream, s: Slot, quiet = false): Promise<void> {
    if (s.follower || s.joining === gs || s.member) return;
    this.unschedule(s);
    s.joining = gs;
    if (!quiet) {
      s.state = 'joining';
      delete s.error;
      this.changed();
    }
    try {
      const muted = s.spec.muted || this.st.volume.muted;
      const o = await this.factory.open({ ...s.spec, muted }, gs.ctx);
      const current = this.slots.get(s.spec.id) === s && s.joining === gs && !gs.stopped;
      s.joining = undefined;
      if (o.kind === 'timeline') {
        if (!current) return void (await o.member.stop().catch(() => undefined));
        s.member = o.member;
        s.synced = true;
        gs.join(o.member, s.spec.delayMs);
        s.retries = 0;
      } else {
        if (this.slots.get(s.spec.id) !== s) return void (await o.receiver.close().catch(() => undefined));
        // Its state is its load's (attach).
        if (o.why) this.log('member plays unsynced', { member: s.spec.id, why: o.why });
        return this.attach(s, o.receiver, o.why);
      }
      s.state = 'playing';
      delete s.error;
    } catch (e) {
      if (s.joining !== gs) return;
      s.joining = undefined;
      this.schedule(gs, s);
      if (quiet) return;
      s.state = 'gone';
      s.error = message(e);
      this.log('member cannot join', { member: s.spec.id, error: s.error });
    }
    this.changed();
  }

  private schedule(gs: GroupStream, s: Slot): void {
    this.unschedule(s);
    const ms = Math.min(REJOIN_MAX_MS, REJOIN_FIRST_MS * 2 ** s.retries++);
    s.retry = setTimeout(() => {
      s.retry = undefined;
      if (this.slots.get(s.spec.id) === s && this.live() === gs && s.state === 'gone') void this.join(gs, s, true);
    }, ms);
  }

  private unschedule(s: Slot): void {
    if (s.retry) clearTimeout(s.retry);
    s.retry = undefined;
  }

  /** A receiver that follows the group unsynced: it gets what the group plays now, from here on. */
  private attach(s: Slot, f: Receiver, why?: string): void {
    s.follower = f;
    s.synced = false;
    if (why) s.unsynced = why;
    else delete s.unsynced;
    f.on('gone', (why) => {
      if (s.follower !== f) return;
      s.follower = undefined;
      s.state = 'gone';
      s.error = why;
      void f.close().catch(() => undefined);
      this.changed();
      this.checkGone();
    });
    void f.setVolume(s.spec.volume).then(() => f.setMuted(s.spec.muted || this.st.volume.muted)).catch(() => undefined);
    const req = this.req;
    if (req && this.st.state !== 'idle') this.loadOn(s, f, (r) => r.load({ ...req, startAt: this.status().position }));
    else {
      s.state = 'idle';
      this.changed();
    }
  }

  /** Followers, without those whose last load failed (they get the next item, not its pauses and seeks). */
  private followers(all = false): Receiver[] {
    return [...this.slots.values()].flatMap((s) => (s.follower && (all || s.state !== 'failed') ? [s.follower] : []));
  }

  /**
   * Gives a follower an item: it is 'joining' until it took it, then 'playing', or 'failed' with
   * the reason (the group plays on; the next item is tried again).
   */
  private loadOn(s: Slot, f: Receiver, act: (r: Receiver) => Promise<void>): void {
    const load = {};
    s.load = load;
    s.state = 'joining';
    delete s.error;
    this.changed();
    const settle = (error?: string): void => {
      if (s.follower !== f || s.load !== load) return;
      s.load = undefined;
      s.state = error === undefined ? 'playing' : 'failed';
      if (error === undefined) delete s.error;
      else {
        s.error = error;
        this.log('follower did not load', { member: f.id, error });
      }
      this.changed();
    };
    void Promise.resolve()
      .then(() => act(f))
      .then(() => settle(), (e: unknown) => settle(message(e)));
  }

  /** Tells a follower what the group does; its failure is logged, never the group's. */
  private follow(f: Receiver, act: (r: Receiver) => Promise<void> | void): void {
    void Promise.resolve()
      .then(() => act(f))
      .catch((e: unknown) => this.log('follower did not follow', { member: f.id, error: message(e) }));
  }

  private lostMember(gs: GroupStream, m: TimelineMember, e: Error): void {
    const s = this.slots.get(m.id);
    if (!s || s.member !== m) return;
    s.member = undefined;
    s.state = 'gone';
    s.error = `${m.name} went away: ${e.message}`;
    this.log('member lost', { member: m.id, error: e.message });
    this.changed();
    if (this.gs !== gs) return;
    this.checkGone();
    if (this.live() === gs) this.schedule(gs, s);
  }

  /** The group is gone when every member is. */
  private checkGone(): void {
    const gs = this.live();
    if (gs && [...this.slots.values()].every((s) => s.state === 'gone')) gs.fail(new Error('every member is gone'));
  }

  private streamStopped(gs: GroupStream): void {
    if (this.gs !== gs) return;
    for (const s of this.slots.values()) {
      s.member = undefined;
      this.unschedule(s);
      s.retries = 0;
      if (s.joining === gs) s.joining = undefined;
      // A failed follower shows why until its next item; one loading the next item is its load's.
      if (s.state !== 'gone' && s.state !== 'failed' && !(s.follower && s.load)) s.state = 'idle';
    }
    this.changed();
  }

  memberOnline(id: string): void {
    const s = this.slots.get(id);
    const gs = this.live();
    if (!s || !gs || s.state !== 'gone') return;
    void this.join(gs, s);
  }

  async addMember(spec: GroupMemberSpec): Promise<void> {
    if (this.slots.has(spec.id)) throw new Error(`${this.factory.name(spec.id)} is already in ${this.name}`);
    const s: Slot = { spec: { ...spec }, state: 'idle', synced: true, retries: 0 };
    this.slots.set(spec.id, s);
    this.changed();
    const gs = this.live();
    if (gs) await this.join(gs, s);
  }

  async removeMember(id: string): Promise<void> {
    const s = this.slots.get(id);
    if (!s) throw new Error(`${id} is not a member of ${this.name}`);
    this.slots.delete(id);
    s.joining = undefined;
    this.unschedule(s);
    if (s.member) await this.gs?.leave(id);
    if (s.follower) {
      const f = s.follower;
      s.follower = undefined;
      await f.stop().catch(() => undefined);
      await f.close().catch(() => undefined);
    }
    this.changed();
  }

  private slot(id: string): Slot {
    const s = this.slots.get(id);
    if (!s) throw new Error(`${id} is not a member of ${this.name}`);
    return s;
  }

  private async applyTo(s: Slot): Promise<void> {
    const muted = s.spec.muted || this.st.volume.muted;
    if (s.member) await s.member.setVolume(s.spec.volume, muted);
    if (s.follower) {
      await s.follower.setVolume(s.spec.volume);
      await s.follower.setMuted(muted);
    }
  }

  async setMemberVolume(id: string, level: number, muted?: boolean): Promise<void> {
    const s = this.slot(id);
    s.spec.volume = clamp(level);
    if (muted !== undefined) s.spec.muted = muted;
    this.st = { ...this.st, volume: { ...this.st.volume, level: this.level() } };
    this.changed();
    this.emit('status', this.status());
    await this.applyTo(s);
  }

  setMemberDelay(id: string, ms: number): void {
    const s = this.slot(id);
    s.spec.delayMs = Math.max(0, ms);
    this.gs?.setDelay(id, s.spec.delayMs);
    this.changed();
  }

  /** Moves every member keeping their balance: each is scaled by the same factor. */
  override async setVolume(level: number): Promise<void> {
    const to = clamp(level);
    const from = this.level();
    for (const s of this.slots.values()) s.spec.volume = from > 0 ? round(clamp((s.spec.volume * to) / from)) : to;
    this.st = { ...this.st, volume: { ...this.st.volume, level: to } };
    await this.applyAll();
  }

  override async setMuted(muted: boolean): Promise<void> {
    this.st = { ...this.st, volume: { ...this.st.volume, muted } };
    await this.applyAll();
  }

  private async applyAll(): Promise<void> {
    this.changed();
    this.emit('status', this.status());
    const r = await Promise.allSettled([...this.slots.values()].map((s) => this.applyTo(s)));
    for (const x of r) if (x.status === 'rejected') this.log('member volume not taken', { error: message(x.reason) });
  }

  override async load(req: LoadRequest): Promise<void> {
    this.req = req;
    this.next = undefined;
    for (const s of this.slots.values()) if (s.follower) this.loadOn(s, s.follower, (r) => r.load(req));
    await super.load(req);
  }

  override preload(next: LoadRequest): void {
    this.next = next;
    super.preload(next);
    for (const f of this.followers()) if (f.preload) this.follow(f, (r) => r.preload!(next));
  }

  override async pause(): Promise<void> {
    await super.pause();
    for (const f of this.followers()) this.follow(f, (r) => r.pause());
  }

  override async play(): Promise<void> {
    await super.play();
    for (const f of this.followers()) this.follow(f, (r) => r.play());
  }

  override async seek(seconds: number): Promise<void> {
    await super.seek(seconds);
    for (const f of this.followers()) this.follow(f, (r) => r.seek(seconds));
  }

  override async stop(): Promise<void> {
    for (const s of this.slots.values()) {
      s.load = undefined;
      // Stopped: what it refused is no longer the question.
      if (s.state === 'failed') {
        s.state = 'idle';
        delete s.error;
      }
    }
    for (const f of this.followers(true)) this.follow(f, (r) => r.stop());
    await super.stop();
  }

  override async close(): Promise<void> {
    await super.close();
    await Promise.all(this.followers(true).map((f) => f.close().catch(() => undefined)));
  }
}

export function createGroupReceiver(d: ReceiverDescriptor, members: GroupMemberSpec[], factory: MemberFactory, opts: PcmDriverOptions = {}): GroupReceiver {
  return new Group(d, members, factory, opts);
}
