// ContentDirectory:1 actions over the current tree (tree.ts). Paging: StartingIndex/RequestedCount
// as asked, RequestedCount 0 or past MAX_PAGE gives MAX_PAGE (TotalMatches says how many there
// are, so a control point pages on); faults with CDS error codes for what cannot be answered.
import { UpnpError, UpnpErrors } from '../../receivers/shared/upnp/soap.js';
import { containerProps, itemProps, parseSearch, parseSort, SEARCH_CAPS, SORT_CAPS, type Props } from './criteria.js';
import { containerXml, DIDL_CLOSE, DIDL_OPEN, itemXml, type ItemLinks } from './didl.js';
import type { DlnaLibrary } from './library-state.js';
import { ROWS_CHUNK } from './items.js';
import { CANONICAL_PARENT, childAt, childCount, fileIdOf, itemId, type ContainerNode, type ItemRow, type Tree } from './tree.js';

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

/** A list of object ids, read by position (a container's children are not copied into strings). */
interface Listing {
  length: number;
  at(i: number): string;
}

const listOf = (ids: string[]): Listing => ({ length: ids.length, at: (i) => ids[i]! });

/** The rows of the items among `ids`. */
function rowsFor(tree: Tree, ids: readonly string[], ctx: CdsContext): Map<number, ItemRow> {
  const files: number[] = [];
  for (const id of ids) {
    const f = fileIdOf(tree, id);
    if (f !== null) files.push(f);
  }
  return files.length ? ctx.library.rows(tree, files) : new Map();
}

/** The DIDL of one object; '' for an item whose row is gone. */
function render(tree: Tree, id: string, parentId: string | undefined, ctx: CdsContext, rows: Map<number, ItemRow>): string {
  const c = tree.containers.get(id);
  if (c) return containerXml(c, childCount(c), c.artHash ? ctx.art(c.artHash) : undefined);
  const item = rows.get(fileIdOf(tree, id)!);
  return item ? itemXml(id, parentId ?? CANONICAL_PARENT[item.kind], item, ctx.links(item)) : '';
}

function propsOf(tree: Tree, id: string, rows: Map<number, ItemRow>): Props | null {
  const c = tree.containers.get(id);
  if (c) return containerProps(c);
  const item = rows.get(fileIdOf(tree, id)!);
  return item ? itemProps(id, item) : null;
}

/** Props of each of `ids` (items' rows read ROWS_CHUNK at a time), in order; null for a gone item. */
function* propsIn(tree: Tree, ids: readonly string[], ctx: CdsContext): Generator<[string, Props | null]> {
  for (let i = 0; i < ids.length; i += ROWS_CHUNK) {
    const chunk = ids.slice(i, i + ROWS_CHUNK);
    const rows = rowsFor(tree, chunk, ctx);
    for (const id of chunk) yield [id, propsOf(tree, id, rows)];
  }
}

function page(tree: Tree, listing: Listing, args: Record<string, string>, parentOf: (id: string) => string | undefined, ctx: CdsContext, updateId: number): Out {
  const start = uint(args, 'StartingIndex');
  const asked = uint(args, 'RequestedCount');
  const sort = parseSort(args.SortCriteria ?? '');
  let list = listing;
  if (sort) {
    const all = Array.from({ length: listing.length }, (_, i) => listing.at(i));
    const props = new Map(propsIn(tree, all, ctx));
    // A gone item (no props) sorts last, where it is left out of the page.
    list = listOf(all.sort((a, b) => (props.get(a) && props.get(b) ? sort(props.get(a)!, props.get(b)!) : props.get(a) ? -1 : props.get(b) ? 1 : 0)));
  }
  const end = Math.min(list.length, start + (asked === 0 ? MAX_PAGE : Math.min(asked, MAX_PAGE)));
  const slice: string[] = [];
  for (let i = start; i < end; i++) slice.push(list.at(i));
  const rows = rowsFor(tree, slice, ctx);
  const objects = slice.map((id) => render(tree, id, parentOf(id), ctx, rows)).filter(Boolean);
  const result = DIDL_OPEN + objects.join('') + DIDL_CLOSE;
  return [['Result', result], ['NumberReturned', objects.length], ['TotalMatches', list.length], ['UpdateID', updateId]];
}

function browse(args: Record<string, string>, ctx: CdsContext): Out {
  const id = args.ObjectID;
  if (id === undefined) throw UpnpErrors.invalidArgs('Missing ObjectID');
  const flag = args.BrowseFlag;
  if (flag !== 'BrowseMetadata' && flag !== 'BrowseDirectChildren') throw UpnpErrors.invalidArgs('BrowseFlag must be BrowseMetadata or BrowseDirectChildren');
  const tree = ctx.library.current();
  const container = tree.containers.get(id);
  if (!container && fileIdOf(tree, id) === null) throw new UpnpError(701, 'No such object');
  if (flag === 'BrowseMetadata') {
    uint(args, 'StartingIndex', false);
    uint(args, 'RequestedCount', false);
    const object = render(tree, id, undefined, ctx, rowsFor(tree, [id], ctx));
    if (!object) throw new UpnpError(701, 'No such object');
    return [['Result', DIDL_OPEN + object + DIDL_CLOSE], ['NumberReturned', 1], ['TotalMatches', 1], ['UpdateID', container ? ctx.library.containerUpdateId(id) : ctx.library.systemUpdateId]];
  }
  if (!container) throw new UpnpError(710, 'No such container');
  return page(tree, { length: childCount(container), at: (i) => childAt(container, i) }, args, () => id, ctx, ctx.library.containerUpdateId(id));
}

function search(args: Record<string, string>, ctx: CdsContext): Out {
  const root = args.ContainerID;
  if (root === undefined) throw UpnpErrors.invalidArgs('Missing ContainerID');
  const match = parseSearch(args.SearchCriteria ?? '*');
  const tree = ctx.library.current();
  const isItem = fileIdOf(tree, root) !== null;
  if (!tree.containers.has(root)) throw new UpnpError(isItem ? 710 : 701, isItem ? 'No such container' : 'No such object');
  // Every object below the container, once (an item sits in several lists), depth first.
  const seenContainers = new Set<string>();
  const seenItems = new Uint8Array(tree.kinds.length);
  const below: string[] = [];
  const walk = (c: ContainerNode) => {
    for (const sub of c.subs) {
      if (seenContainers.has(sub)) continue;
      seenContainers.add(sub);
      below.push(sub);
      walk(tree.containers.get(sub)!);
    }
    for (const f of c.items) if (!seenItems[f]) (seenItems[f] = 1, below.push(itemId(f)));
  };
  walk(tree.containers.get(root)!);
  const found: string[] = [];
  for (const [id, props] of propsIn(tree, below, ctx)) if (props && match(props)) found.push(id);
  return page(tree, listOf(found), args, (id) => tree.containers.get(id)?.parentId, ctx, ctx.library.containerUpdateId(root));
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
