#!/usr/bin/python3
# A GUPnP control point (Debian gir1.2-gupnp-1.6, gir1.2-gupnp-av-1.0) standing in for a TV: it
# finds MediaServers by SSDP on one interface, browses each one's whole tree in pages, runs a
# Search, reads every DIDL-Lite result with GUPnP-AV's parser, fetches the first bytes of one item
# of each kind, then (with --watch) subscribes to ContentDirectory events and reports the first
# SystemUpdateID change. Prints one JSON object per line; the test reads them.
#   gupnp_browse.py --iface v1 [--name NAME] [--page 7] [--watch SECONDS] [--timeout 20] [--start-title T]
import argparse, json, sys, urllib.request
import gi
gi.require_version('GUPnP', '1.6')
gi.require_version('GUPnPAV', '1.0')
gi.require_version('GSSDP', '1.6')
from gi.repository import GLib, GObject, GSSDP, GUPnP, GUPnPAV

CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1'
ap = argparse.ArgumentParser()
ap.add_argument('--iface', required=True)
ap.add_argument('--name')
ap.add_argument('--page', type=int, default=7)
ap.add_argument('--timeout', type=float, default=20)
ap.add_argument('--watch', type=float, default=0)
ap.add_argument('--start-title', help='browse only below the root child with this title (e.g. gerbera\'s "PC Directory")')
ap.add_argument('--search', default='upnp:class derivedfrom "object.item.audioItem" and dc:title contains "o"')
args = ap.parse_args()

def out(**o):
    print(json.dumps(o), flush=True)

def value(gtype, v):
    g = GObject.Value(gtype)
    g.set_value(v)
    return g

def call(proxy, action, names, values, outs):
    a = GUPnP.ServiceProxyAction.new_from_list(action, names, [value(GObject.TYPE_STRING if isinstance(v, str) else GObject.TYPE_UINT, v) for v in values])
    proxy.call_action(a, None)
    ok, res = a.get_result_list([n for n, _ in outs], [t for _, t in outs])
    return dict(zip([n for n, _ in outs], res))

def parse_didl(xml):
    objs = []
    p = GUPnPAV.DIDLLiteParser.new()
    def on_object(_p, o):
        d = {'id': o.get_id(), 'parent': o.get_parent_id(), 'title': o.get_title(), 'class': o.get_upnp_class()}
        if isinstance(o, GUPnPAV.DIDLLiteContainer):
            d['container'] = True
            d['childCount'] = o.get_child_count()
        else:
            d['container'] = False
            d['ref'] = o.get_ref_id()
            d['artist'] = o.get_artist()
            d['album'] = o.get_album()
            d['res'] = [{'uri': r.get_uri(), 'duration': r.get_duration(), 'size': r.get_size64(), 'protocolInfo': r.get_protocol_info().to_string(),
                         'width': r.get_width(), 'height': r.get_height(), 'sampleFreq': r.get_sample_freq(), 'channels': r.get_audio_channels()} for r in o.get_resources()]
        objs.append(d)
    p.connect('object-available', on_object)
    p.parse_didl(xml)
    return objs

RESULT_OUTS = [('Result', GObject.TYPE_STRING), ('NumberReturned', GObject.TYPE_UINT), ('TotalMatches', GObject.TYPE_UINT), ('UpdateID', GObject.TYPE_UINT)]

def browse_children(proxy, oid):
    start, found, pages = 0, [], 0
    while True:
        r = call(proxy, 'Browse', ['ObjectID', 'BrowseFlag', 'Filter', 'StartingIndex', 'RequestedCount', 'SortCriteria'],
                 [oid, 'BrowseDirectChildren', '*', start, args.page, ''], RESULT_OUTS)
        objs = parse_didl(r['Result'])
        if len(objs) != r['NumberReturned']:
            raise Exception(f'{oid}: NumberReturned {r["NumberReturned"]} but {len(objs)} objects in the DIDL')
        found += objs
        start += r['NumberReturned']
        pages += 1
        if r['NumberReturned'] == 0 or start >= r['TotalMatches']:
            return found, r['TotalMatches'], pages

def walk(proxy):
    items, containers, pages, bad_counts = {}, 0, 0, []
    queue = [('0', None)]
    if args.start_title:
        kids, _, _ = browse_children(proxy, '0')
        queue = [(k['id'], k['childCount']) for k in kids if k['container'] and k['title'] == args.start_title]
    while queue:
        oid, expected = queue.pop(0)
        kids, total, n = browse_children(proxy, oid)
        pages += n
        if expected is not None and expected != total:
            bad_counts.append({'id': oid, 'childCount': expected, 'total': total})
        for k in kids:
            if k['container']:
                containers += 1
                queue.append((k['id'], k['childCount']))
            else:
                items.setdefault(k['id'], k)
    return items, containers, pages, bad_counts

def fetch(uri):
    req = urllib.request.Request(uri, headers={'Range': 'bytes=0-1023', 'getcontentFeatures.dlna.org': '1'})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read(1024)
        return {'status': r.status, 'bytes': len(body), 'contentType': r.headers.get('Content-Type'), 'contentFeatures': r.headers.get('contentFeatures.dlna.org'), 'transferMode': r.headers.get('transferMode.dlna.org')}

loop = GLib.MainLoop()
ctx = GUPnP.Context.new_full(args.iface, None, 0, GSSDP.UDAVersion.VERSION_1_0)
cp = GUPnP.ControlPoint.new(ctx, 'urn:schemas-upnp-org:device:MediaServer:1')
state = {'done': False}

def on_device(_cp, dev):
    if state['done'] or (args.name and dev.get_friendly_name() != args.name):
        return
    state['done'] = True
    GLib.idle_add(lambda: run(dev) and False)

def run(dev):
    try:
        proxy = dev.get_service(CDS)
        out(event='found', name=dev.get_friendly_name(), udn=dev.get_udn(), location=dev.get_location())
        items, containers, pages, bad_counts = walk(proxy)
        out(event='browsed', containers=containers, pages=pages, badCounts=bad_counts, items=list(items.values()))
        try:
            r = call(proxy, 'Search', ['ContainerID', 'SearchCriteria', 'Filter', 'StartingIndex', 'RequestedCount', 'SortCriteria'],
                     ['0', args.search, '*', 0, 0, '+dc:title'], RESULT_OUTS)
            out(event='searched', total=r['TotalMatches'], titles=[o['title'] for o in parse_didl(r['Result'])])
        except GLib.Error as e:  # gerbera 1.1 has no Search: say so, go on
            out(event='searched', error=e.message)
        fetched = {}
        for it in items.values():
            kind = (it['class'].split('.') + ['', '', ''])[2]
            if kind in fetched or not it['res']:
                continue
            original = next((x for x in it['res'] if 'DLNA.ORG_CI=0' in x['protocolInfo'] or 'CI=' not in x['protocolInfo']), it['res'][0])
            fetched[kind] = {'title': it['title'], **fetch(original['uri'])}
        out(event='fetched', kinds=fetched)
        first = call(proxy, 'GetSystemUpdateID', [], [], [('Id', GObject.TYPE_UINT)])['Id']
        out(event='updateId', id=first)
        if args.watch <= 0:
            loop.quit()
            return
        def on_notify(_p, _var, val, *_):
            v = int(val)
            out(event='notify', systemUpdateId=v)
            if v != first:
                out(event='changed', systemUpdateId=v, polled=call(proxy, 'GetSystemUpdateID', [], [], [('Id', GObject.TYPE_UINT)])['Id'])
                loop.quit()
        proxy.add_notify('SystemUpdateID', GObject.TYPE_UINT, on_notify, None)
        proxy.connect('subscription-lost', lambda *_: out(event='error', message='subscription lost'))
        proxy.set_subscribed(True)
        out(event='subscribed')
        GLib.timeout_add(int(args.watch * 1000), lambda: (out(event='error', message='no SystemUpdateID change'), loop.quit()))
    except Exception as e:  # noqa: BLE001 - report, then stop
        out(event='error', message=str(e))
        loop.quit()

cp.connect('device-proxy-available', on_device)
cp.set_active(True)
GLib.timeout_add(int(args.timeout * 1000), lambda: (state['done'] or out(event='error', message='no MediaServer found'), state['done'] or loop.quit()))
loop.run()
