// ContentDirectory:1 actions over the current tree (tree.ts). Paging: StartingIndex/RequestedCount
// as asked, RequestedCount 0 or past MAX_PAGE gives MAX_PAGE (TotalMatches says how many there
// are, so a control point pages on); faults with CDS error codes for what cannot be answered.
import { UpnpError, UpnpErrors } from '../../receivers/shared/upnp/soap.js';
import { containerProps, itemProps, parseSearch, parseSort, SEARCH_CAPS, SORT_CAPS, type Props } from './criteria.js';
import { containerXml, DIDL_CLOSE, DIDL_OPEN, itemXml, type ItemLinks } from './didl.js';
import type { DlnaLibrary } from './library-state.js';
import { CANONICAL_PARENT, type ItemRow, type Tree } from './tree.js';

export const MAX_PAGE = 500;

export interface CdsContext {
  library: DlnaLibrary;
  /** How the asking renderer fetches an item (absolute signed URLs, its transcodes). */
  links(item: ItemRow): ItemLinks;
  /** Absolute signed URL of a container's art thumbnail. */
  art(hash: string): string;
}

type Out = Array<[string, string | number]>;

function uint(args: Record<string, string>, name: string, required = true): number {
  const v = args[name];
  if (v === undefined || v.trim() === '') {
    if (required) throw UpnpErrors.invalidArgs(`Missing ${name}`);
    return 0;
  }
  if (!/^\s*\d{1,10}\s*$/.test(v) || Number(v) > 0xffffffff) throw UpnpErrors.invalidArgs(`${name} must be a ui4`);
  return Number(v);
}

function render(tree: Tree, id: string, parentId: string | undefined, ctx: CdsContext): string {
  const c = tree.containers.get(id);
  if (c) return containerXml(c, c.children.length, c.artHash ? ctx.art(c.artHash) : undefined);
  const item = tree.items.get(id)!;
  return itemXml(id, parentId ?? CANONICAL_PARENT[item.kind], item, ctx.links(item));
}

function propsOf(tree: Tree, id: string): Props {
  const c = tree.containers.get(id);
  return c ? containerProps(c) : itemProps(id, tree.items.get(id)!);
}

function page(tree: Tree, ids: string[], args: Record<string, string>, parentOf: (id: string) => string | undefined, ctx: CdsContext, updateId: number): Out {
  const start = uint(args, 'StartingIndex');
  const asked = uint(args, 'RequestedCount');
  const sort = parseSort(args.SortCriteria ?? '');
  let list = ids;
  if (sort) {
    const props = new Map(ids.map((id) => [id, propsOf(tree, id)]));
    list = [...ids].sort((a, b) => sort(props.get(a)!, props.get(b)!));
  }
  const slice = list.slice(start, start + (asked === 0 ? MAX_PAGE : Math.min(asked, MAX_PAGE)));
  const result = DIDL_OPEN + slice.map((id) => render(tree, id, parentOf(id), ctx)).join('') + DIDL_CLOSE;
  return [['Result', result], ['NumberReturned', slice.length], ['TotalMatches', list.length], ['UpdateID', updateId]];
}

function browse(args: Record<string, string>, ctx: CdsContext): Out {
  const id = args.ObjectID;
  if (id === undefined) throw UpnpErrors.invalidArgs('Missing ObjectID');
  const flag = args.BrowseFlag;
  if (flag !== 'BrowseMetadata' && flag !== 'BrowseDirectChildren') throw UpnpErrors.invalidArgs('BrowseFlag must be BrowseMetadata or BrowseDirectChildren');
  const tree = ctx.library.current();
  const container = tree.containers.get(id);
  if (!container && !tree.items.has(id)) throw new UpnpError(701, 'No such object');
  if (flag === 'BrowseMetadata') {
    uint(args, 'StartingIndex', false);
    uint(args, 'RequestedCount', false);
    const didl = DIDL_OPEN + render(tree, id, undefined, ctx) + DIDL_CLOSE;
    return [['Result', didl], ['NumberReturned', 1], ['TotalMatches', 1], ['UpdateID', container ? ctx.library.containerUpdateId(id) : ctx.library.systemUpdateId]];
  }
  if (!container) throw new UpnpError(710, 'No such container');
  return page(tree, container.children, args, () => id, ctx, ctx.library.containerUpdateId(id));
}

function search(args: Record<string, string>, ctx: CdsContext): Out {
  const root = args.ContainerID;
  if (root === undefined) throw UpnpErrors.invalidArgs('Missing ContainerID');
  const match = parseSearch(args.SearchCriteria ?? '*');
  const tree = ctx.library.current();
  if (!tree.containers.has(root)) throw new UpnpError(tree.items.has(root) ? 710 : 701, tree.items.has(root) ? 'No such container' : 'No such object');
  // Every object below the container, once (an item sits in several lists).
  const seen = new Set<string>();
  const found: string[] = [];
  const stack = [...tree.containers.get(root)!.children].reverse();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (match(propsOf(tree, id))) found.push(id);
    const c = tree.containers.get(id);
    if (c) for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]!);
  }
  return page(tree, found, args, (id) => tree.containers.get(id)?.parentId, ctx, ctx.library.containerUpdateId(root));
}

export function contentDirectory(action: string, args: Record<string, string>, ctx: CdsContext): Out {
  switch (action) {
    case 'Browse': return browse(args, ctx);
    case 'Search': return search(args, ctx);
    case 'GetSearchCapabilities': return [['SearchCaps', SEARCH_CAPS.join(',')]];
    case 'GetSortCapabilities': return [['SortCaps', SORT_CAPS.join(',')]];
    case 'GetSystemUpdateID': return [['Id', ctx.library.systemUpdateId]];
    case 'X_GetFeatureList':
      return [['FeatureList', '<?xml version="1.0" encoding="UTF-8"?><Features xmlns="urn:schemas-upnp-org:av:avs" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:schemas-upnp-org:av:avs http://www.upnp.org/schemas/av/avs.xsd"><Feature name="samsung.com_BASICVIEW" version="1"><container id="music" type="object.item.audioItem"/><container id="video" type="object.item.videoItem"/><container id="photo" type="object.item.imageItem"/></Feature></Features>']];
    default: throw UpnpErrors.invalidAction();
  }
}
