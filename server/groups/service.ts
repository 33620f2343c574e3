// Groups of receivers a person makes ("Downstairs": Kitchen + Living Room) and plays as one.
// Each group is a receiver in the registry (kind 'group', id 'group:<random>'), online when a
// member is, with its members' ids and states, so remotes, the REST API and sessions treat it
// like any receiver. While a group plays, its live GroupReceiver (built by `createReceiver`) is
// kept here: member changes reach it at once, and members discovery sees come back rejoin.
import { randomBytes } from 'node:crypto';
import type { GroupMemberSpec, GroupMemberState, GroupReceiver, MemberFactory } from '../../receivers/group/types.js';
import type { Profile, ReceiverDescriptor } from '../../receivers/types.js';
import type { ReceiverRegistry } from '../discovery/registry.js';
import { PlaybackError } from '../playback/session.js';
import type { Logger } from '../util/log.js';
import { memberFactory, type MemberFactoryDeps } from './member-factory.js';
import type { GroupStore, StoredGroup, StoredMember } from './store.js';

/** The group player (receivers/group/receiver.ts createGroupReceiver). */
export type CreateGroupReceiver = (d: ReceiverDescriptor, members: GroupMemberSpec[], factory: MemberFactory) => GroupReceiver;

export interface GroupServiceDeps extends Pick<MemberFactoryDeps, 'connect' | 'timeline'> {
  store: GroupStore;
  registry: ReceiverRegistry;
  log: Logger;
  /** Absent: groups can be made but not played (the server says so). */
  createReceiver?: CreateGroupReceiver;
  /** Whether a member plays on the group's clock (shown as "not in sync" when not). */
  syncs(d: ReceiverDescriptor): boolean;
}

export const MAX_MEMBERS = 32;

/** A refusal in words for the person who asked (a refusal, not a fault, for the socket API). */
export class GroupError extends PlaybackError {}

export class GroupService {
  private live = new Map<string, GroupReceiver>();
  private factory: MemberFactory;
  /** Members' online state as last seen, so a comeback is told to a playing group once. */
  private online = new Map<string, boolean>();

  constructor(private deps: GroupServiceDeps) {
    this.factory = memberFactory({ ...deps, get: (id) => deps.registry.get(id), storedName: (id) => this.storedName(id) });
    deps.registry.on('changed', (d) => this.seen(d));
    deps.registry.on('removed', (id) => this.republish(id));
    for (const g of deps.store.list()) this.publish(g);
  }

  list(): ReceiverDescriptor[] {
    return this.deps.store.list().map((g) => this.descriptor(g));
  }

  create(name: string, members: string[]): ReceiverDescriptor {
    const clean = this.freeName(name);
    if (members.length === 0) throw new GroupError(`a group needs at least one member`);
    if (members.length > MAX_MEMBERS) throw new GroupError(`a group has at most ${MAX_MEMBERS} members`);
    const list: StoredMember[] = [];
    for (const m of members) {
      const d = this.member(m);
      if (list.some((x) => x.id === d.id)) throw new GroupError(`${d.name} is named twice`);
      list.push(newMember(d));
    }
    const g = { id: `group:${randomBytes(6).toString('hex')}`, name: clean, members: list };
    this.deps.store.create(g);
    this.deps.log.info('group created', { id: g.id, name: g.name, members: list.map((m) => m.name).join(', ') });
    return this.publish(g);
  }

  rename(group: string, name: string): ReceiverDescriptor {
    const g = this.group(group);
    const clean = this.freeName(name, g.id);
    this.deps.store.rename(g.id, clean);
    return this.publish({ ...g, name: clean });
  }

  async add(group: string, member: string): Promise<ReceiverDescriptor> {
    const g = this.group(group);
    const d = this.member(member);
    if (g.members.some((m) => m.id === d.id)) throw new GroupError(`${d.name} is already in ${g.name}`);
    if (g.members.length >= MAX_MEMBERS) throw new GroupError(`${g.name} has ${MAX_MEMBERS} members, the most a group has`);
    const m = newMember(d);
    this.deps.store.setMembers(g.id, [...g.members, m]);
    const live = this.live.get(g.id);
    try {
      await live?.addMember(spec(m));
    } catch (err) {
      throw new GroupError(`${d.name} is in ${g.name} but could not join: ${(err as Error).message}`);
    } finally {
      this.republish(g.id);
    }
    return this.descriptor(this.group(g.id));
  }

  async remove(group: string, member: string): Promise<ReceiverDescriptor> {
    const g = this.group(group);
    const m = this.inGroup(g, member);
    if (g.members.length === 1) throw new GroupError(`${m.name} is the only member of ${g.name}: delete the group instead`);
    this.deps.store.setMembers(g.id, g.members.filter((x) => x.id !== m.id));
    try {
      await this.live.get(g.id)?.removeMember(m.id);
    } finally {
      this.republish(g.id);
    }
    return this.descriptor(this.group(g.id));
  }

  /** Forgets the group; its session is the caller's to end first (PlaybackService.forget). */
  delete(group: string): string {
    const g = this.group(group);
    this.deps.store.delete(g.id);
    this.live.delete(g.id);
    this.deps.registry.remove(g.id);
    this.deps.log.info('group deleted', { id: g.id, name: g.name });
    return g.id;
  }

  /** Finds a group by id or name; its id. */
  idOf(group: string): string {
    return this.group(group).id;
  }

  async setMember(group: string, member: string, change: { level?: number; muted?: boolean; delayMs?: number }): Promise<ReceiverDescriptor> {
    const g = this.group(group);
    const m = this.inGroup(g, member);
    const next = { ...m, ...(change.level !== undefined ? { volume: change.level } : {}), ...(change.muted !== undefined ? { muted: change.muted } : {}), ...(change.delayMs !== undefined ? { delayMs: Math.round(change.delayMs) } : {}) };
    this.deps.store.setMembers(g.id, g.members.map((x) => (x.id === m.id ? next : x)));
    const live = this.live.get(g.id);
    try {
      if (live && (change.level !== undefined || change.muted !== undefined)) await live.setMemberVolume(m.id, next.volume, next.muted);
      if (live && change.delayMs !== undefined) live.setMemberDelay(m.id, next.delayMs);
    } finally {
      this.republish(g.id);
    }
    return this.descriptor(this.group(g.id));
  }

  /** The receiver a session plays the group with (PlaybackDeps.connect for kind 'group'). */
  receiver(d: ReceiverDescriptor): GroupReceiver {
    const g = this.group(d.id);
    if (!this.deps.createReceiver) throw new GroupError(`${g.name} cannot play: this server has no group player yet`);
    const r = this.deps.createReceiver(d, g.members.map(spec), this.factory);
    this.live.set(g.id, r);
    r.onMembers((states) => {
      this.keepVolumes(g.id, states);
      this.republish(g.id);
    });
    // The session closes the receiver when done with it (lost, server stopping): no longer live then.
    const close = r.close.bind(r);
    r.close = async () => {
      if (this.live.get(g.id) === r) this.live.delete(g.id);
      await close();
      this.republish(g.id);
    };
    return r;
  }

  /** A group volume change moved its members' levels: they are kept, as a member's own change is. */
  private keepVolumes(id: string, states: GroupMemberState[]): void {
    const g = this.deps.store.list().find((x) => x.id === id);
    if (!g) return;
    let changed = false;
    const members = g.members.map((m) => {
      const s = states.find((x) => x.id === m.id);
      if (!s || (s.volume === m.volume && s.muted === m.muted)) return m;
      changed = true;
      return { ...m, volume: s.volume, muted: s.muted };
    });
    if (changed) this.deps.store.setMembers(id, members);
  }

  /**
   * What a group plays: every member gets the same item (a follower fetches the same URL), so the
   * narrowest of its members' audio profiles, audio only.
   */
  profile(d: ReceiverDescriptor, of: (member: ReceiverDescriptor) => Profile): Profile {
    const profiles = (d.members ?? []).flatMap((id) => {
      const m = this.deps.registry.get(id);
      return m ? [of(m)] : [];
    });
    const width = (p: Profile) => p.containers.length + p.audioCodecs.length;
    const narrowest = profiles.sort((a, b) => width(a) - width(b))[0];
    const base = narrowest ?? { containers: ['mp3', 'flac', 'wav'], audioCodecs: [{ codec: 'mp3' as const }, { codec: 'flac' as const }, { codec: 'pcm' as const }] };
    return { name: `group ${d.name}`, audioOnly: true, containers: base.containers, audioCodecs: base.audioCodecs, videoCodecs: [], subtitleFormats: [], imageFormats: [] };
  }

  private group(idOrName: string): StoredGroup {
    const lower = idOrName.toLowerCase();
    const all = this.deps.store.list();
    const g = all.find((x) => x.id === idOrName) ?? all.find((x) => x.name.toLowerCase() === lower);
    if (g) return g;
    const other = this.deps.registry.find(idOrName);
    throw new GroupError(other ? `${other.name} is a receiver, not a group` : `unknown group "${idOrName}"`);
  }

  /** A receiver that may join a group: known, and not a group. */
  private member(idOrName: string): ReceiverDescriptor {
    const d = this.deps.registry.find(idOrName);
    if (!d) throw new GroupError(`unknown receiver "${idOrName}"`);
    if (d.kind === 'group') throw new GroupError(`${d.name} is a group: a group's members are single receivers`);
    return d;
  }

  private inGroup(g: StoredGroup, idOrName: string): StoredMember {
    const lower = idOrName.toLowerCase();
    const d = this.deps.registry.find(idOrName);
    const m = g.members.find((x) => x.id === idOrName || x.id === d?.id || x.name.toLowerCase() === lower);
    if (!m) throw new GroupError(d ? `${d.name} is not in ${g.name}` : `unknown receiver "${idOrName}"`);
    return m;
  }

  private freeName(name: string, self?: string): string {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (!clean) throw new GroupError('a group needs a name');
    const lower = clean.toLowerCase();
    if (this.deps.store.list().some((g) => g.id !== self && g.name.toLowerCase() === lower)) throw new GroupError(`there is already a group named "${clean}"`);
    const receiver = this.deps.registry.list().find((d) => d.kind !== 'group' && d.name.toLowerCase() === lower);
    if (receiver) throw new GroupError(`"${clean}" is the name of a receiver: give the group another`);
    return clean;
  }

  private storedName(id: string): string | undefined {
    for (const g of this.deps.store.list()) {
      const m = g.members.find((x) => x.id === id);
      if (m) return m.name;
    }
    return undefined;
  }

  /** A member changed (online, offline, renamed): its groups show it; a comeback rejoins a playing group. */
  private seen(d: ReceiverDescriptor): void {
    if (d.source === 'group') return;
    const was = this.online.get(d.id);
    this.online.set(d.id, d.online);
    for (const g of this.deps.store.list()) {
      if (!g.members.some((m) => m.id === d.id)) continue;
      if (d.online && was === false) this.live.get(g.id)?.memberOnline(d.id);
      this.publish(g);
    }
  }

  private republish(id: string): void {
    const g = this.deps.store.get(id);
    if (g) this.publish(g);
    else for (const x of this.deps.store.list()) if (x.members.some((m) => m.id === id)) this.publish(x);
  }

  private publish(g: StoredGroup): ReceiverDescriptor {
    const d = this.descriptor(g);
    this.deps.registry.put(d);
    return d;
  }

  private descriptor(g: StoredGroup): ReceiverDescriptor {
    const playing = new Map((this.live.get(g.id)?.members() ?? []).map((s) => [s.id, s]));
    const states: GroupMemberState[] = g.members.map((m) => playing.get(m.id) ?? this.idleState(m));
    return {
      id: g.id,
      kind: 'group',
      name: g.name,
      model: null,
      host: '',
      port: 0,
      type: 'group',
      online: g.members.some((m) => this.deps.registry.get(m.id)?.online === true),
      lastSeen: Date.now(),
      source: 'group',
      members: g.members.map((m) => m.id),
      group: states,
    };
  }

  private idleState(m: StoredMember): GroupMemberState {
    const d = this.deps.registry.get(m.id);
    return { ...spec(m), name: d?.name ?? m.name, state: d?.online ? 'idle' : 'gone', synced: d ? this.deps.syncs(d) : true };
  }
}

function newMember(d: ReceiverDescriptor): StoredMember {
  return { id: d.id, name: d.name, delayMs: 0, volume: 1, muted: false };
}

function spec(m: StoredMember): GroupMemberSpec {
  return { id: m.id, delayMs: m.delayMs, volume: m.volume, muted: m.muted };
}
