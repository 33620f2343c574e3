// The ffprobe and ffmpeg runs of one probe thread: two at a time. A thread has many probes in
// flight (their file reads overlap), and a video scan would otherwise start a process for each.
import { createFfmpegSlots } from '../media/ffmpeg-slots.js';

const slots = createFfmpegSlots(2);

export async function oneOfFew<T>(run: () => Promise<T>): Promise<T> {
  const slot = (await slots.take())!;
  try {
    return await run();
  } finally {
    slot.release();
  }
}
