// The ffmpeg cap counts video encoders; an ffmpeg that encodes no video costs an eighth.
import { describe, expect, it } from 'vitest';
import { AUDIO_ONLY_COST, createFfmpegSlots, transcodeCost } from '../../../server/media/ffmpeg-slots.js';

describe('ffmpeg slots', () => {
  it('costs: a video encode one slot, audio only or a copied picture an eighth', () => {
    expect(transcodeCost('h264')).toBe(1);
    expect(transcodeCost('hevc')).toBe(1);
    expect(transcodeCost(undefined)).toBe(AUDIO_ONLY_COST);
    expect(transcodeCost('copy')).toBe(AUDIO_ONLY_COST);
  });

  it('a cap of 2 holds one video encode and eight audio transcodes, then refuses either', () => {
    const slots = createFfmpegSlots(2);
    const video = slots.tryTake(1);
    expect(video).toBeDefined();
    const audio = Array.from({ length: 8 }, () => slots.tryTake(AUDIO_ONLY_COST));
    expect(audio.every(Boolean)).toBe(true);
    expect(slots.inUse()).toBe(2);
    expect(slots.tryTake(AUDIO_ONLY_COST)).toBeUndefined();
    expect(slots.tryTake(1)).toBeUndefined();
    audio[0]!.release();
    audio[0]!.release(); // twice: counted once
    expect(slots.inUse()).toBe(2 - AUDIO_ONLY_COST);
    expect(slots.tryTake(1)).toBeUndefined(); // a video encode needs a whole slot
    expect(slots.tryTake(AUDIO_ONLY_COST)).toBeDefined();
  });

  it('waiters are served in order: a video encode waiting first is not passed by cheaper ones', async () => {
    const slots = createFfmpegSlots(1);
    const held = slots.tryTake(1)!;
    const order: string[] = [];
    const video = slots.take(undefined, undefined, 1).then((s) => (order.push('video'), s));
    const audio = slots.take(undefined, undefined, AUDIO_ONLY_COST).then((s) => (order.push('audio'), s));
    expect(slots.tryTake(AUDIO_ONLY_COST)).toBeUndefined(); // others wait: no jumping the queue
    held.release();
    const v = await video;
    expect(order).toEqual(['video']); // the audio one does not fit beside it yet
    v!.release();
    await audio;
    expect(order).toEqual(['video', 'audio']);
  });

  it('a waiter that gives up lets the cheaper ones behind it in', async () => {
    const slots = createFfmpegSlots(1);
    slots.tryTake(0.5);
    const abort = new AbortController();
    const video = slots.take(undefined, abort.signal, 1);
    const audio = slots.take(undefined, undefined, AUDIO_ONLY_COST);
    abort.abort();
    expect(await video).toBeUndefined();
    expect(await audio).toBeDefined();
    expect(slots.inUse()).toBe(0.5 + AUDIO_ONLY_COST);
  });

  it('a lower cap lets running ones go on and starts none until they fit', () => {
    const slots = createFfmpegSlots(2);
    const a = slots.tryTake(1)!;
    slots.tryTake(1);
    slots.setMax(1);
    expect(slots.tryTake(AUDIO_ONLY_COST)).toBeUndefined();
    a.release();
    expect(slots.tryTake(AUDIO_ONLY_COST)).toBeUndefined(); // still 1 of 1 in use
  });
});
