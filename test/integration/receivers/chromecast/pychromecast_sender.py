#!/usr/bin/python3
"""A Cast sender nobody here wrote: Debian's python3-pychromecast (9.4), driven line by line.

Reads one JSON command per line on stdin, prints one JSON line per result and per status update
on stdout, so a test can wait for events instead of sleeping. Run with /usr/bin/python3 (the
python3 on PATH may be a pyenv without pychromecast), inside a network namespace (it multicasts).

Commands: {"cmd": "discover", "name": N, "timeout": S} | {"cmd": "play", "url": U, "type": T,
"subtitles"?: VTT_URL} | {"cmd": "status"} | {"cmd": "pause"} | {"cmd": "resume"} | {"cmd": "seek", "to": S}
| {"cmd": "volume", "level": L} | {"cmd": "mute", "muted": B} | {"cmd": "enable_subtitle", "track": N}
| {"cmd": "disable_subtitle"} | {"cmd": "stop"} | {"cmd": "quit_app"} | {"cmd": "exit"}
"""
import json
import sys
import threading

import pychromecast
from pychromecast import socket_client

# pychromecast 9.4 reads its TLS socket in its own thread and writes from whichever thread sends
# (socket_client.py send_message and _read_bytes_from_socket, with no lock between them). A write
# during a read can corrupt the TLS stream: the emulator saw "bad record mac" from it once under
# load, right after a LAUNCH sent from this script's thread. Serialize the two calls; what is sent
# and when is unchanged.
_socket_io = threading.RLock()


def _serialized(f):
    def call(self, *args, **kwargs):
        with _socket_io:
            return f(self, *args, **kwargs)
    return call


socket_client.SocketClient.send_message = _serialized(socket_client.SocketClient.send_message)
socket_client.SocketClient._read_bytes_from_socket = _serialized(socket_client.SocketClient._read_bytes_from_socket)

lock = threading.Lock()
state = {"cast": None, "browser": None}


def out(**fields):
    with lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def media_fields(s):
    return {
        "player_state": s.player_state,
        "current_time": s.current_time,
        "duration": s.duration,
        "idle_reason": s.idle_reason,
        "content_id": s.content_id,
        "media_session_id": s.media_session_id,
        "volume_level": s.volume_level,
        "volume_muted": s.volume_muted,
        "active_tracks": s.current_subtitle_tracks,
    }


class MediaListener:
    def new_media_status(self, status):
        out(event="media_status", **media_fields(status))


class CastListener:
    def new_cast_status(self, status):
        out(event="cast_status", app_id=status.app_id, volume_level=status.volume_level,
            volume_muted=status.volume_muted, session_id=status.session_id)


def discover(name, timeout):
    casts, browser = pychromecast.get_listed_chromecasts(friendly_names=[name], discovery_timeout=timeout)
    state["browser"] = browser
    if not casts:
        out(event="not_found", name=name, seen=[d.friendly_name for d in browser.devices.values()])
        return
    cast = casts[0]
    state["cast"] = cast
    info = browser.devices[cast.uuid]
    out(event="found", name=cast.name, uuid=str(cast.uuid), model=cast.model_name,
        cast_type=cast.cast_type, host=info.host, port=info.port)
    cast.register_status_listener(CastListener())
    cast.media_controller.register_status_listener(MediaListener())
    cast.wait(timeout=timeout)
    out(event="connected", host=cast.socket_client.host, port=cast.socket_client.port)


def refresh():
    done = threading.Event()
    mc = state["cast"].media_controller
    mc.update_status(lambda *_: done.set())
    ok = done.wait(10)
    out(event="status", ok=ok, **media_fields(mc.status))


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        c = json.loads(line)
        cmd = c["cmd"]
        cast = state["cast"]
        mc = cast.media_controller if cast else None
        try:
            if cmd == "discover":
                discover(c["name"], c.get("timeout", 15))
                continue
            if cmd == "exit":
                break
            if cmd == "play":
                mc.play_media(c["url"], c["type"], title=c.get("title", "Test"), subtitles=c.get("subtitles"))
                mc.block_until_active(timeout=15)
                out(event="active", ok=mc.status.media_session_id is not None)
            elif cmd == "status":
                refresh()
            elif cmd == "pause":
                mc.pause()
            elif cmd == "resume":
                mc.play()
            elif cmd == "seek":
                mc.seek(c["to"])
            elif cmd == "volume":
                cast.set_volume(c["level"])
            elif cmd == "mute":
                cast.set_volume_muted(c["muted"])
            elif cmd == "enable_subtitle":
                mc.enable_subtitle(c["track"])
            elif cmd == "disable_subtitle":
                mc.disable_subtitle()
            elif cmd == "stop":
                mc.stop()
            elif cmd == "quit_app":
                cast.quit_app()
            out(event="done", cmd=cmd)
        except Exception as e:  # pylint: disable=broad-except
            out(event="error", cmd=cmd, error=repr(e))
    if state["cast"]:
        state["cast"].disconnect(timeout=5)
    if state["browser"]:
        state["browser"].stop_discovery()
    out(event="bye")


if __name__ == "__main__":
    main()
