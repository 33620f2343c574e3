// Receivers listed by address in the config: they skip mDNS but are otherwise like any other
// (heartbeat, online/offline). The kind must be one that receivers/index.ts registers.
import type { ReceiverKind } from '../../receivers/index.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { ManualReceiverConfig } from '../config/schema.js';

export function manualDescriptors(list: ManualReceiverConfig[], kinds: readonly ReceiverKind[], now = Date.now()): ReceiverDescriptor[] {
  return list.map((r, i) => {
    const kind = kinds.find((k) => k.name === r.kind);
    if (!kind) throw new Error(`"receivers[${i}].kind": "${r.kind}" is not a receiver kind (known: ${kinds.map((k) => k.name).join(', ')})`);
    const port = r.port ?? kind.defaultPort;
    const profile = kind.profileForModel(r.model ?? null, { audioOnlyHint: r.type === 'speaker' || r.type === 'group' });
    const modelName = kind.modelName?.(r.model);
    return {
      id: `${kind.name}:manual:${r.host}:${port}`,
      kind: kind.name,
      name: r.name,
      model: r.model ?? null,
      ...(modelName ? { modelName } : {}),
      host: r.host,
      port,
      type: r.type ?? (profile.audioOnly ? 'speaker' : 'tv'),
      online: true,
      lastSeen: now,
      source: 'config' as const,
      ...(r.needsPassword || r.password ? { needsPassword: true } : {}),
    };
  });
}
